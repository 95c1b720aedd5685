package org.mandosjava.audit;

/**
 * The kinds of audit record. Each has a stable name (the {@code event} field, the JSON file's
 * {@code "event"}) and a stable journal {@code MESSAGE_ID}, so that {@code journalctl MESSAGE_ID=…}
 * finds every record of one kind across versions. Never change either once released.
 */
public enum AuditEvent {
    SECRET_RELEASED("secret_released", "3c3d5b6b0409466e982388f0054f478c"),
    SECRET_REFUSED("secret_refused", "50029b93724a469cae373f88df336afd"),
    UNKNOWN_KEY("unknown_key", "5acab5e1c9b04d4aba6f99c6336d8f03"),
    APPROVAL_REQUESTED("approval_requested", "a18c98f312784a8dbc79a65fbc2ce306"),
    APPROVED("approved", "42b27309d3f44299a55e18478b124819"),
    DENIED("denied", "f1b98ac946f943e2891d3848b1ba9910"),
    CLIENT_ENABLED("client_enabled", "17273a70209e4dca8216b82c5fecc787"),
    CLIENT_DISABLED("client_disabled", "ec9668fd5b394091949ddcdc00eeca94"),
    CLIENT_ADDED("client_added", "5ef2d548d7a54042b839090aac5a2ac3"),
    CLIENT_REMOVED("client_removed", "46cb59c2f065423289bc224a2cd8fbc0"),
    SECRET_CHANGED("secret_changed", "a31f3389675741cc8f6fc55557c2ebee"),
    SETTING_CHANGED("setting_changed", "652da8020f01461ea436a17de6d6a727"),
    CHECKER_FAILING("checker_failing", "26101b03bd7f49e3877a50fafb71174c"),
    CHECKER_RECOVERED("checker_recovered", "d2ecc4641d3b4792b8cf202456205f01"),
    STATE_SAVE_FAILING("state_save_failing", "94ec6cf5c152425eb1cfacf12e205dda"),
    STATE_SAVE_RECOVERED("state_save_recovered", "acb97755408e4600b95fff4fdae914a7");

    private final String id;
    private final String messageId;

    AuditEvent(String id, String messageId) {
        this.id = id;
        this.messageId = messageId;
    }

    /** The record's {@code event} field. */
    public String id() {
        return id;
    }

    /** The journal's MESSAGE_ID: 128 bits in lower-case hex, no dashes. */
    public String messageId() {
        return messageId;
    }
}
