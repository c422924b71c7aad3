package io.worldmesh.flags;

/** What a flag's variants hold. All variants of one flag hold the same type. */
public enum VariantType {
    BOOLEAN("boolean"),
    STRING("string"),
    /** A JSON number without fraction or exponent, held as a {@code long}. */
    INTEGER("integer"),
    /** A JSON number with a fraction or exponent, held as a {@code double}; integers mixed in are widened. */
    DOUBLE("double");

    private final String label;

    VariantType(String label) {
        this.label = label;
    }

    /** The lower-case name used in messages. */
    public String label() {
        return label;
    }
}
