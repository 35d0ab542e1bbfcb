package io.scoregen.platform.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PointerTest {

    @Test
    void theSequenceRoundTripsAndAPointerWrittenWithoutOneIsUnordered() {
        Pointer pointer = new Pointer(StorageKeys.checkpoint("train-p", 40), "etag-1", 123, 40);
        assertEquals(pointer, Pointer.decode(pointer.encode()));
        String legacy = "target=" + StorageKeys.checkpoint("train-p", 40) + "\netag=etag-1\nsize=123\n";
        assertEquals(0, Pointer.decode(legacy.getBytes(StandardCharsets.UTF_8)).sequence());
    }

    @Test
    void aNegativeSequenceIsRefusedNamingIt() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> new Pointer(StorageKeys.checkpoint("train-p", 1), "", 1, -1));
        assertEquals("sequence must be >= 0, got -1", e.getMessage());
    }
}
