/// A country or territory with its E.164 calling code.
public struct Country: Hashable, Sendable {
    /// ISO 3166-1 alpha-2 (`ES`), plus the codes libphonenumber uses (`AC`, `TA`, `XK`).
    public let iso2: String
    public let name: String
    /// Digits without `+` (`34`); nil for territories with no numbering plan (AQ, BV, ...).
    public let callingCode: String?
    /// In the European Economic Area (EU-27, IS, LI, NO): decides the EEA price list.
    public let isEEA: Bool
    public let currency: CurrencyCode?

    public init(iso2: String, name: String, callingCode: String?, isEEA: Bool, currency: CurrencyCode?) {
        self.iso2 = iso2
        self.name = name
        self.callingCode = callingCode
        self.isEEA = isEEA
        self.currency = currency
    }
}

/// A mobile network (PLMN) by its MCC and MNC. One MCCMNC can serve several countries (23450: GB, GG, JE).
public struct MobileNetwork: Hashable, Sendable {
    public let mcc: String
    public let mnc: String
    /// Kept, not joined on each read: every number priced on a mobile network names it.
    public let mccmnc: String
    public let countryISO2: String?
    public let name: String
    public let status: String

    public init(mcc: String, mnc: String, countryISO2: String?, name: String, status: String) {
        self.mcc = mcc
        self.mnc = mnc
        mccmnc = mcc + mnc
        self.countryISO2 = countryISO2
        self.name = name
        self.status = status
    }
}

/// A block of numbers by E.164 prefix, as the reference data describes it.
public struct NumberRange: Hashable, Sendable {
    public let prefix: String
    public let countryISO2: String?
    /// libphonenumber's type (`mobile`, `fixed_line`, `fixed_line_or_mobile`, `toll_free`, ...);
    /// `a|b` when the type depends on the number's length.
    public let referenceType: String
    public let networkMCCMNC: String?
    public let networkName: String?

    public init(prefix: String, countryISO2: String?, referenceType: String, networkMCCMNC: String?, networkName: String?) {
        self.prefix = prefix
        self.countryISO2 = countryISO2
        self.referenceType = referenceType
        self.networkMCCMNC = networkMCCMNC
        self.networkName = networkName
    }
}
