package io.worldmesh.testkit;

/** Thrown by a check at the step that broke a rule; the simulation adds the seed and the step. */
final class InvariantBroken extends RuntimeException {

    private final Rule rule;

    InvariantBroken(Rule rule, String detail) {
        super(detail, null, false, false);
        this.rule = rule;
    }

    Rule rule() {
        return rule;
    }
}
