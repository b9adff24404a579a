import TariffCore

/// Price plans as both engines store them.
enum PlanRows {
    static let columns = """
        SELECT id, plan, effective_from, created_at, rules, minimum_price_units, minimum_margin_units, rounding_decimals, rounding_mode,
        override_deck FROM plan_versions
        """
    static let insert = """
        INSERT INTO plan_versions (plan, effective_from, created_at, rules, minimum_price_units, minimum_margin_units, rounding_decimals, rounding_mode,
        override_deck) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
        """
    static let bumpRevision = """
        INSERT INTO revisions (topic, revision) VALUES ('plans', 1)
        ON CONFLICT (topic) DO UPDATE SET revision = revisions.revision + 1
        """
    static let stamp = "SELECT revision FROM revisions WHERE topic = 'plans'"
    static let planExists = "SELECT COUNT(*) AS n FROM plan_versions WHERE plan = ?"
    static let assign = """
        INSERT INTO account_plans (account_id, plan, assigned_at) VALUES (?, ?, ?)
        ON CONFLICT (account_id) DO UPDATE SET plan = excluded.plan, assigned_at = excluded.assigned_at
        """
    static let unassign = "DELETE FROM account_plans WHERE account_id = ?"

    static func binds(_ version: NewPlanVersion, now: Instant) -> [StoredValue] {
        [
            .text(version.plan), .int(version.effectiveFrom.secondsSince1970), .int(now.secondsSince1970), .text(version.rules),
            .int(version.minimumPrice.units), .int(version.minimumMargin.units), .optional(version.rounding.map { Int64($0.decimals) }),
            .optional(version.rounding?.mode.rawValue), .optional(version.overrideDeck),
        ]
    }

    static func version(_ row: some StoredRow) throws -> StoredPlanVersion {
        var rounding: Rounding?
        if let decimals = try row.optionalInt("rounding_decimals") {
            guard (0...Int64(Amount.scale)).contains(decimals), let mode = RoundingMode(rawValue: try row.optionalText("rounding_mode") ?? "")
            else { throw StoreError.corrupt("plan rounding") }
            rounding = Rounding(decimals: Int(decimals), mode: mode)
        }
        return StoredPlanVersion(
            id: try row.int("id"),
            createdAt: Instant(secondsSince1970: try row.int("created_at")),
            version: NewPlanVersion(
                plan: try row.text("plan"),
                effectiveFrom: Instant(secondsSince1970: try row.int("effective_from")),
                rules: try row.text("rules"),
                minimumPrice: Amount(units: try row.int("minimum_price_units")),
                minimumMargin: Amount(units: try row.int("minimum_margin_units")),
                rounding: rounding,
                overrideDeck: try row.optionalText("override_deck")
            )
        )
    }
}
