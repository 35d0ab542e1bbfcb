package io.scoregen.platform.messages;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.scoregen.job.Violation;
import java.io.IOException;
import java.util.Arrays;
import java.util.Collection;

/**
 * JSON wire format of all scoregen messages: UTF-8 JSON objects with a version field {@code "v": 1} first, absent
 * fields omitted.
 *
 * <p>Decoding is strict, so that a typo or a wrong type is an error naming the field rather than a silently applied
 * default: unknown fields, duplicate fields, strings for numbers, fractions for integers and trailing data are all
 * rejected. Every failure is an {@link InvalidMessageException} whose violations carry the field path
 * ({@code sampler.steps}, {@code model.channelMults[1]}). Thread-safe.
 */
public final class MessageCodec {

    /** The version this build writes and reads. */
    public static final int VERSION = 1;

    public static final String VERSION_FIELD = "v";

    private final ObjectMapper mapper;

    public MessageCodec() {
        mapper = JsonMapper.builder()
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .serializationInclusion(JsonInclude.Include.NON_NULL)
                .build();
        // Numbers and booleans are not strings either.
        mapper.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
    }

    /** The message as versioned JSON. */
    public byte[] encode(Object message) {
        ObjectNode body = mapper.valueToTree(message);
        ObjectNode versioned = mapper.createObjectNode().put(VERSION_FIELD, VERSION);
        versioned.setAll(body);
        try {
            return mapper.writeValueAsBytes(versioned);
        } catch (IOException e) {
            throw new IllegalStateException(
                    "cannot encode " + message.getClass().getSimpleName(), e);
        }
    }

    /**
     * The message as a JSON tree, as {@link #encode} writes it but without the version field, and as decoding reads it
     * back (an integer is an int node if it fits), so that trees compare equal whichever way they were made.
     */
    public JsonNode tree(Object message) {
        try {
            return mapper.readTree(mapper.writeValueAsBytes(message));
        } catch (IOException e) {
            throw new IllegalStateException(
                    "cannot encode " + message.getClass().getSimpleName(), e);
        }
    }

    /** Decodes a record from a topic: {@code "v"} is required. Does not validate; see {@link #read}. */
    public <T> T decode(byte[] json, Class<T> type) {
        return decode(json, type, true);
    }

    /** Decodes and validates a record from a topic: what a worker does before any work. */
    public <T> T read(byte[] json, Class<T> type) {
        return MessageValidator.requireValid(decode(json, type, true));
    }

    /**
     * Decodes a request body: like {@link #decode} but {@code "v"} may be left out (then it is {@value #VERSION}). Does
     * not validate: the gateway first fills in ids and defaults.
     */
    public <T> T decodeRequest(byte[] json, Class<T> type) {
        return decode(json, type, false);
    }

    private <T> T decode(byte[] json, Class<T> type, boolean versionRequired) {
        JsonNode tree;
        try {
            tree = mapper.readTree(json);
        } catch (JacksonException e) {
            throw new InvalidMessageException(
                    Violation.BODY, "malformed JSON: " + e.getOriginalMessage() + location(e));
        } catch (IOException e) {
            throw new IllegalStateException("reading from a byte array failed", e);
        }
        if (tree == null || !tree.isObject()) {
            throw new InvalidMessageException(Violation.BODY, "must be a JSON object");
        }
        ObjectNode object = (ObjectNode) tree;
        checkVersion(object.remove(VERSION_FIELD), versionRequired);
        try {
            return mapper.treeToValue(object, type);
        } catch (JsonMappingException e) {
            throw new InvalidMessageException(path(e), reason(e));
        } catch (JacksonException e) {
            throw new InvalidMessageException(Violation.BODY, e.getOriginalMessage());
        }
    }

    private static void checkVersion(JsonNode v, boolean required) {
        if (v == null) {
            if (required) {
                throw new InvalidMessageException(
                        VERSION_FIELD, "is required (this build reads version " + VERSION + ")");
            }
            return;
        }
        if (!v.isIntegralNumber()) {
            throw new InvalidMessageException(VERSION_FIELD, "must be an integer");
        }
        if (v.asLong() != VERSION) {
            throw new InvalidMessageException(
                    VERSION_FIELD,
                    "unsupported message version " + v.asText() + "; this build reads version " + VERSION);
        }
    }

    /** Dotted field path with list indices, e.g. {@code model.channelMults[1]}. */
    private static String path(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.isEmpty() ? Violation.BODY : path.toString();
    }

    private static String reason(JsonMappingException e) {
        if (e instanceof UnrecognizedPropertyException) {
            return "unknown field";
        }
        if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
            return "must be " + jsonType(m.getTargetType());
        }
        return e.getOriginalMessage();
    }

    /** The JSON type expected for a Java type, in the words of the message documentation. */
    private static String jsonType(Class<?> type) {
        if (type == Integer.class || type == Long.class || type == int.class || type == long.class) {
            return "an integer";
        }
        if (type == Double.class || type == double.class) {
            return "a number";
        }
        if (type == String.class) {
            return "a string";
        }
        if (type.isEnum()) {
            return "one of "
                    + Arrays.stream(type.getEnumConstants())
                            .map(Object::toString)
                            .toList();
        }
        if (Collection.class.isAssignableFrom(type)) {
            return "an array";
        }
        return "an object";
    }

    private static String location(JacksonException e) {
        return e.getLocation() == null
                ? ""
                : " (line " + e.getLocation().getLineNr() + ", column "
                        + e.getLocation().getColumnNr() + ")";
    }
}
