/// Units of a metered product that included units may cover, with how to charge the rest.
///
/// A class so that a posting can carry its pricing function and still be compared (by
/// identity): the function is pure, captured values are immutable, hence `Sendable`.
public final class AllowanceDraw: Sendable, Hashable {
    public let product: String
    public let variant: String?
    public let units: Int
    /// The amount to charge (zero or more, in the account's currency), its explanation and
    /// description when `covered` of the units are included; nil when it cannot be computed
    /// (the charge then stands as rated, nothing included).
    public let repriced: @Sendable (_ covered: Int) -> (amount: Amount, explanation: ChargeExplanation, description: String)?

    public init(
        product: String,
        variant: String?,
        units: Int,
        repriced: @escaping @Sendable (_ covered: Int) -> (amount: Amount, explanation: ChargeExplanation, description: String)?
    ) {
        self.product = product
        self.variant = variant
        self.units = units
        self.repriced = repriced
    }

    public static func == (lhs: AllowanceDraw, rhs: AllowanceDraw) -> Bool { lhs === rhs }
    public func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(self)) }
}
