package io.scoregen.core.inverse;

import ai.djl.ndarray.NDArray;

/** An orthogonal change of coordinates in which the known part of the data is a set of coordinates. */
interface Basis {

    Basis IDENTITY = new Basis() {
        @Override
        public NDArray toBasis(NDArray x) {
            return x;
        }

        @Override
        public NDArray fromBasis(NDArray c) {
            return c;
        }
    };

    NDArray toBasis(NDArray x);

    NDArray fromBasis(NDArray c);
}
