package io.scoregen.gateway.api;

import io.scoregen.gateway.config.GatewayConfig;
import io.scoregen.platform.messages.MessageCodec;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads request bodies with the same strict codec the workers use for records, so that malformed JSON and wrong types
 * become 400s naming the field, and bounded in size.
 */
@Singleton
public final class JsonBodies {

    private final MessageCodec codec = new MessageCodec();
    private final int maxBytes;

    JsonBodies(GatewayConfig config) {
        maxBytes = config.api().maxJsonBytes();
    }

    public <T> T read(InputStream body, Class<T> type) throws IOException {
        try (InputStream in = new LimitedInputStream(body, maxBytes)) {
            return codec.decodeRequest(in.readAllBytes(), type);
        }
    }
}
