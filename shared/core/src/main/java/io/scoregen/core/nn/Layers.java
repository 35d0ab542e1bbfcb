package io.scoregen.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.Initializer;

/** Small helpers shared by the blocks of this package. */
final class Layers {

    private Layers() {}

    static Parameter parameter(String name, Parameter.Type type, Shape shape, Initializer init, boolean trainable) {
        return Parameter.builder()
                .setName(name)
                .setType(type)
                .optShape(shape)
                .optInitializer(init)
                .optRequiresGrad(trainable)
                .build();
    }

    /**
     * Moves an array derived from a long-lived one (a parameter view) into the manager of the activation it is used
     * with: an op's result belongs to its first operand's manager, and a view made from a parameter would otherwise
     * live, and pile up, in the model's manager.
     */
    static NDArray local(NDArray derived, NDArray activation) {
        derived.attach(activation.getManager());
        return derived;
    }
}
