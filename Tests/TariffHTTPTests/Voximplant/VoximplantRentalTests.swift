import Foundation
import HummingbirdTesting
import TariffCore
import TariffStore
import Testing

@testable import TariffHTTP

/// Renting numbers as the Voximplant SDKs do, against stock imported into the fixture.
@Suite("Voximplant platform API: renting numbers")
struct VoximplantRentalTests {
    static func stock(_ store: any TariffStore) async throws {
        let numbers: [(String, String, String?)] = [
            ("+525512345678", "GEOGRAPHIC", "55"), ("+525512345679", "GEOGRAPHIC", "55"), ("+523312345678", "GEOGRAPHIC", nil),
            ("+528001234567", "TOLLFREE", nil),
        ]
        let added = try await store.numbers.addToStock(
            numbers.map { NewStockNumber(number: try! PhoneNumber(parsing: $0.0), country: "MX", category: $0.1, regionCode: $0.2) },
            now: .now()
        )
        #expect(added == 4)
        try await UsageChargeTests.topUp(store, account: 1, "100")
    }

    static func results(_ body: [String: Any]) -> [[String: Any]] { body["result"] as? [[String: Any]] ?? [] }

    @Test("stock, regions with their counts, new numbers, attach by count and by number, list, money to charge, deactivate")
    func rentalCycle() async throws {
        try await HTTPFixture.withVoximplant { fixture in
            try await Self.stock(fixture.store)
            try await fixture.test { client in
                let categories = Self.results(try await client.platform("GetPhoneNumberCategories", ["country_code": "MX"]))
                #expect(categories.first?["can_list_phone_numbers"] as? Bool == true)
                let regions = Self.results(
                    try await client.platform("GetPhoneNumberRegions", ["country_code": "MX", "phone_category_name": "GEOGRAPHIC"])
                )
                let city = try #require(regions.first { $0["phone_region_code"] as? String == "55" })
                #expect(city["phone_count"] as? Int == 2)
                let regionID = try #require(city["phone_region_id"] as? Int)

                let new = try await client.platform(
                    "GetNewPhoneNumbers",
                    ["country_code": "MX", "phone_category_name": "GEOGRAPHIC", "phone_region_id": String(regionID), "count": "1"]
                )
                #expect(new["total_count"] as? Int == 2 && new["count"] as? Int == 1)
                let offered = try #require(Self.results(new).first)
                #expect(offered["phone_number"] as? String == "525512345678")
                #expect(decimalText(offered["phone_price"]) == "6" && decimalText(offered["phone_installation_price"]) == "12")
                #expect(offered["phone_region_name"] as? String == "Mexico City")

                let attached = try await client.platform(
                    "AttachPhoneNumber",
                    ["phone_count": "1", "country_code": "MX", "phone_category_name": "GEOGRAPHIC", "phone_region_id": String(regionID)]
                )
                #expect(attached["result"] as? Int == 1)
                let phones = try #require(attached["phone_numbers"] as? [[String: Any]])
                #expect(phones.map { $0["phone_number"] as? String } == ["525512345678"])
                #expect(phones.first?["phone_id"] as? Int == offered["phone_id"] as? Int)
                // Installation 12 and the first month 6, from 100.
                let account = try await client.platform("GetAccountInfo")
                #expect(decimalText((account["result"] as? [String: Any])?["balance"]) == "82")
                let byNumber = try await client.platform("AttachPhoneNumber", ["phone_number": "523312345678"])
                #expect((byNumber["phone_numbers"] as? [[String: Any]])?.count == 1)

                let refusals: [([String: String], Int)] = [
                    (["phone_number": "525512345678"], 182),
                    (["phone_count": "5", "country_code": "MX", "phone_category_name": "GEOGRAPHIC", "phone_region_id": String(regionID)], 332),
                    (["phone_count": "1", "country_code": "MX", "phone_category_name": "MOBILE"], 331),
                    (["phone_count": "1", "country_code": "MX", "phone_category_name": "GEOGRAPHIC", "phone_region_id": "999999"], 242),
                    (["phone_count": "1", "phone_number": "525512345679"], 101),
                    ([:], 101),
                    (["phone_number": "not-a-number"], 121),
                ]
                for (parameters, code) in refusals {
                    #expect(platformError(try await client.platform("AttachPhoneNumber", parameters))?.code == code, "\(parameters)")
                }
                // No money: refused with 127 and the number stays in stock.
                let poor = try await client.platform("AttachPhoneNumber", ["phone_number": "528001234567"], account: (2, "s-usd"))
                #expect(platformError(poor)?.code == 127)
                #expect(try await fixture.store.numbers.available(StockFilter(country: "MX")).total == 2)

                let listed = try await client.platform("GetPhoneNumbers")
                #expect(listed["total_count"] as? Int == 2)
                let first = try #require(Self.results(listed).first)
                #expect(first["phone_number"] as? String == "525512345678")
                #expect(decimalText(first["phone_price"]) == "6")
                #expect(first["category_name"] as? String == "GEOGRAPHIC")
                #expect(first["deactivated"] as? Bool == false && first["canceled"] as? Bool == false)
                let renewal = try #require(first["phone_next_renewal"] as? String)
                #expect(renewal.count == 10 && renewal > Instant.now().date)
                #expect((first["phone_purchase_date"] as? String)?.count == 19)

                let due = try #require(try await client.platform("GetMoneyAmountToCharge", ["charge_date": "2099-01-01"])["result"] as? [String: Any])
                #expect(decimalText(due["amount"]) == "11")
                #expect(decimalText(due["min_amount"]) == "0")
                #expect((due["subscriptions"] as? [[String: Any]])?.map { $0["subscription_type"] as? String } == ["PHONE_NUM", "PHONE_NUM"])
                let nothingDue = try #require(
                    try await client.platform("GetMoneyAmountToCharge", ["charge_date": "2026-01-01"])["result"] as? [String: Any]
                )
                #expect(decimalText(nothingDue["amount"]) == "0")

                let phoneID = String(try #require(first["phone_id"] as? Int))
                #expect(try await client.platform("DeactivatePhoneNumber", ["phone_id": phoneID])["result"] as? Int == 1)
                let canceled = try await client.platform("GetPhoneNumbers", ["canceled": "true"])
                #expect(Self.results(canceled).map { $0["phone_id"] as? Int } == [Int(phoneID)])
                #expect(platformError(try await client.platform("DeactivatePhoneNumber", ["phone_id": "999999"]))?.code == 181)
                #expect(platformError(try await client.platform("DeactivatePhoneNumber"))?.code == 101)
                #expect(try await client.platform("DeactivatePhoneNumber", ["phone_number": "523312345678"])["result"] as? Int == 1)

                let history = try await client.platform(
                    "GetTransactionHistory",
                    ["from_date": "2020-01-01 00:00:00", "to_date": "2099-01-01 00:00:00", "count": "100"]
                )
                let types = Self.results(history).compactMap { $0["transaction_type"] as? String }
                #expect(types.filter { $0 == "subscription_installation_charge" }.count == 2)
                #expect(types.filter { $0 == "subscription_charge" }.count == 2)
            }
            try await UsageChargeTests.expectBalanced(fixture.store)
        }
    }
}
