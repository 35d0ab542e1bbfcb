package io.scoregen.platform.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StoreConfigTest {

    @Test
    void defaultsMatchTheLocalStackAndOverridesApply() {
        StoreConfig d = StoreConfig.fromConfig(k -> Optional.empty());
        assertEquals(URI.create("http://127.0.0.1:9000"), d.endpoint());
        assertEquals("us-east-1", d.region());
        assertEquals("scoregen", d.bucket());

        Map<String, String> conf = Map.of(
                StoreConfig.ENDPOINT,
                "https://s3.example:443",
                StoreConfig.BUCKET,
                "other-bucket",
                StoreConfig.SECRET_KEY,
                "top-secret");
        StoreConfig c = StoreConfig.fromConfig(k -> Optional.ofNullable(conf.get(k)));
        assertEquals("other-bucket", c.bucket());
        assertEquals("https", c.endpoint().getScheme());
        assertFalse(c.toString().contains("top-secret"), "the secret stays out of logs");
    }

    @Test
    void invalidValuesAreRejected() {
        URI ok = URI.create("http://127.0.0.1:9000");
        assertThrows(
                IllegalArgumentException.class, () -> StoreConfig.of(URI.create("ftp://h:1"), "a", "s", "scoregen"));
        assertThrows(
                IllegalArgumentException.class,
                () -> StoreConfig.of(URI.create("http://h:1/path"), "a", "s", "scoregen"));
        assertThrows(IllegalArgumentException.class, () -> StoreConfig.of(ok, " ", "s", "scoregen"));
        assertThrows(IllegalArgumentException.class, () -> StoreConfig.of(ok, "a", "", "scoregen"));
        for (String bucket : new String[] {"Upper", "ab", "-lead", "a..b", "under_score"}) {
            assertThrows(IllegalArgumentException.class, () -> StoreConfig.of(ok, "a", "s", bucket), bucket);
        }
    }
}
