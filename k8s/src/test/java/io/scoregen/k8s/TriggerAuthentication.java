package io.scoregen.k8s;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.util.List;

/**
 * KEDA's TriggerAuthentication ({@code keda.sh/v1alpha1}): the part scoregen uses, parameters from Secrets. Parsed
 * strictly like {@link ScaledObject}: any other field fails.
 */
record TriggerAuthentication(String apiVersion, String kind, ObjectMeta metadata, Spec spec) {

    TriggerAuthentication {
        ScaledObject.require(
                ScaledObject.API_VERSION.equals(apiVersion), "TriggerAuthentication apiVersion " + apiVersion);
        ScaledObject.require("TriggerAuthentication".equals(kind), "kind must be TriggerAuthentication");
        ScaledObject.require(metadata != null && metadata.getName() != null, "metadata.name is required");
        ScaledObject.require(
                spec != null
                        && spec.secretTargetRef() != null
                        && !spec.secretTargetRef().isEmpty(),
                "spec.secretTargetRef is required");
    }

    record Spec(List<SecretTargetRef> secretTargetRef) {}

    /** Scaler parameter {@code parameter} is key {@code key} of Secret {@code name}. */
    record SecretTargetRef(String parameter, String name, String key) {
        SecretTargetRef {
            ScaledObject.require(
                    parameter != null && name != null && key != null, "secretTargetRef needs parameter, name, key");
        }
    }

    SecretTargetRef parameter(String parameter) {
        return spec.secretTargetRef().stream()
                .filter(r -> r.parameter().equals(parameter))
                .findFirst()
                .orElseThrow(() -> new AssertionError(metadata.getName() + " has no parameter " + parameter));
    }
}
