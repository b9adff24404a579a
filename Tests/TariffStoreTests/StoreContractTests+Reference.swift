import Foundation
import TariffCore
import Testing

@testable import TariffStore

extension StoreContractTests {
    // MARK: Reference data

    @Test("the shipped reference tables round-trip", arguments: StoreEngine.all)
    func referenceRoundTrip(engine: StoreEngine) async throws {
        let shipped = try ShippedReferenceData.tables()
        try #require(shipped.countries.count > 200 && shipped.ranges.count > 1000, "the shipped reference data looks truncated")
        try await withStore(engine) { store, _ in
            try await store.reference.load(shipped)
            #expect(try await store.reference.isLoaded())
            let stored = try await store.reference.tables()

            #expect(stored.countries.count == shipped.countries.count)
            #expect(stored.currencies.count == shipped.currencies.count)
            #expect(stored.networks.count == shipped.networks.count)
            #expect(stored.ranges.count == shipped.ranges.count)
            #expect(Set(stored.countries) == Set(shipped.countries))
            #expect(Set(stored.currencies) == Set(shipped.currencies))
            #expect(Set(stored.networks) == Set(shipped.networks))
            #expect(Set(stored.ranges) == Set(shipped.ranges))

            let spain = try #require(stored.countries.first { $0.iso2 == "ES" })
            #expect(spain == Country(iso2: "ES", name: "Spain", callingCode: "34", isEEA: true, currency: currency("EUR")))
            let britain = try #require(stored.countries.first { $0.iso2 == "GB" })
            #expect(britain.isEEA == false)
            #expect(britain.currency == currency("GBP"))
            let euro = try #require(stored.currencies.first { $0.code == currency("EUR") })
            #expect(euro.numeric == "978")
            #expect(euro.minorUnits == 2)
            let movistar = try #require(stored.networks.first { $0.mccmnc == "21407" && $0.countryISO2 == "ES" })
            #expect(movistar.name == "Movistar")
            // A network without a country keeps its missing country.
            #expect(stored.networks.contains { $0.mccmnc == "001001" && $0.countryISO2 == nil })
            let syma = try #require(stored.ranges.first { $0.prefix == "34612" })
            #expect(syma == NumberRange(prefix: "34612", countryISO2: "ES", referenceType: "mobile", networkMCCMNC: "21413", networkName: "Syma"))

            // What is stored compiles into working lookups.
            let reference = try stored.compile()
            let info = reference.classify(try PhoneNumber(parsing: "+34612345678").key)
            #expect(info.country?.iso2 == "ES")
            #expect(info.network?.mccmnc == "21413")
        }
    }

    @Test("loading reference data replaces what was loaded before", arguments: StoreEngine.all)
    func referenceLoadReplaces(engine: StoreEngine) async throws {
        try await withStore(engine) { store, _ in
            try await store.reference.load(Self.smallReference(prefixes: ["346", "3491", "331"]))
            try await store.reference.load(Self.smallReference(prefixes: ["44", "4420"]))
            let stored = try await store.reference.tables()
            #expect(stored.ranges.map(\.prefix) == ["44", "4420"])
            #expect(stored.countries.count == 2)
            #expect(stored.currencies.count == 2)
            #expect(stored.networks.count == 1)
        }
    }

    @Test("a reference load that fails part-way keeps the tables loaded before", arguments: StoreEngine.all)
    func referenceLoadFailureKeepsPrevious(engine: StoreEngine) async throws {
        try await withStore(engine) { store, _ in
            let before = Self.smallReference(prefixes: ["346", "3491"])
            try await store.reference.load(before)
            // Currencies, countries and networks are written before the ranges, whose
            // repeated prefix breaks the key.
            var broken = Self.smallReference(prefixes: ["44", "4420", "44"])
            broken.countries.append(Country(iso2: "FR", name: "France", callingCode: "33", isEEA: true, currency: currency("EUR")))
            await #expect(throws: (any Error).self) { try await store.reference.load(broken) }

            let after = try await store.reference.tables()
            #expect(Set(after.countries) == Set(before.countries))
            #expect(Set(after.currencies) == Set(before.currencies))
            #expect(Set(after.networks) == Set(before.networks))
            #expect(Set(after.ranges) == Set(before.ranges))
        }
    }
}
