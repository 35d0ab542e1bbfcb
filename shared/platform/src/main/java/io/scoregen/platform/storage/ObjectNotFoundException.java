package io.scoregen.platform.storage;

/** The key (or the bucket) does not exist. Never retried. */
public final class ObjectNotFoundException extends StorageException {

    private static final long serialVersionUID = 1L;

    private final String key;

    public ObjectNotFoundException(String bucket, String key, Throwable cause) {
        super("no object s3://" + bucket + "/" + key, cause, false, 1);
        this.key = key;
    }

    public String key() {
        return key;
    }
}
