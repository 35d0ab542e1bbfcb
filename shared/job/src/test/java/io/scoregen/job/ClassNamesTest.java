package io.scoregen.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClassNamesTest {

    @Test
    void aClassIsItsNameOrItsLabel() {
        ClassNames fashion = ClassNames.FASHION_MNIST;
        assertEquals(10, fashion.size());
        assertEquals(7, fashion.labelOf("sneaker"));
        assertEquals(7, fashion.labelOf("7"));
        assertEquals(0, fashion.labelOf("t-shirt"));
        assertEquals(9, fashion.labelOf("ankle-boot"));
        assertEquals(3, ClassNames.numbered(8).labelOf("3"));
    }

    @Test
    void anUnknownClassIsAnErrorNamingTheClasses() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> ClassNames.FASHION_MNIST.labelOf("hat"));
        assertEquals(
                "unknown class 'hat' (expected a label 0 to 9 or one of [t-shirt, trouser, pullover, dress, coat,"
                        + " sandal, shirt, sneaker, bag, ankle-boot])",
                e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class, () -> ClassNames.numbered(8).labelOf("8"));
        assertEquals("unknown class '8' (expected a label 0 to 7)", e.getMessage());
        Checks c = new Checks();
        assertTrue(ClassNames.numbered(2).check(c, "class", "moon").isEmpty());
        assertEquals("class", c.violations().get(0).field());
    }

    @Test
    void namesAreDistinctWireNames() {
        assertThrows(IllegalArgumentException.class, () -> new ClassNames(List.of("a", "a")));
        assertThrows(IllegalArgumentException.class, () -> new ClassNames(List.of("Bag")));
        assertThrows(IllegalArgumentException.class, () -> new ClassNames(List.of()));
    }

    /** Checked before the names are made: data asking for a billion classes costs no billion strings. */
    @Test
    void atMostTheBudgetOfClasses() {
        assertEquals(Limits.MAX_CLASSES, ClassNames.numbered(Limits.MAX_CLASSES).size());
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> ClassNames.numbered(1_000_000_000));
        assertEquals("1000000000 classes, more than the budget of " + Limits.MAX_CLASSES, e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ClassNames.numbered(0));
    }

    @Test
    void theBuiltInSetsHaveTheirClasses() {
        assertEquals(
                ClassNames.FASHION_MNIST, BuiltInData.classes("fashion-mnist").orElseThrow());
        assertEquals(
                ClassNames.FASHION_MNIST,
                BuiltInData.classes("fashion-mnist:test").orElseThrow());
        assertEquals(8, BuiltInData.classes("toy:eight-gaussians").orElseThrow().size());
        assertEquals(2, BuiltInData.classes("toy:two-moons").orElseThrow().size());
        assertEquals(2, BuiltInData.classes("toy:checkerboard").orElseThrow().size());
        assertTrue(BuiltInData.classes("toy:swiss-roll").isEmpty());
        assertTrue(BuiltInData.classes("toy:nothing").isEmpty());
        assertTrue(BuiltInData.classes("my-upload").isEmpty());
    }
}
