import Foundation
import HummingbirdTesting
import Testing

@testable import TariffHTTP

@Suite("Voximplant platform API: pricing methods")
struct VoximplantMethodTests {
    static func groups(_ body: [String: Any], _ index: Int = 0) -> [[String: Any]] {
        ((body["result"] as? [[String: Any]])?[index]["price_groups"] as? [[String: Any]]) ?? []
    }

    @Test("GetResourcePrice: the deck's resources with their price groups, prices in the account's currency")
    func resourcePrice() async throws {
        try await HTTPFixture.withVoximplant { fixture in
            try await fixture.test { client in
                let domestic = try await client.platform("GetResourcePrice", ["resource_type": "PSTN_OUT_INCOUNTRY"])
                #expect((domestic["result"] as? [[String: Any]])?.first?["resource_type"] as? String == "PSTN_OUT_INCOUNTRY")
                let names = Self.groups(domestic).map { $0["price_group_name"] as? String }
                #expect(names == ["Mexico Fixed", "Mexico Mobile"])
                let fixed = try #require(Self.groups(domestic).first)
                #expect(decimalText(fixed["price"]) == "0.01")
                #expect(fixed["country_code"] as? String == "MX")
                #expect(fixed["num_resources_per_price"] as? Int == 60)
                #expect(fixed["quantum"] as? Int == 60)
                #expect((fixed["params"] as? [String: Any])?["allowed"] as? [String] == ["52"])

                // The USD account sees the same groups, converted at 1.17.
                let usd = try await client.platform("GetResourcePrice", ["resource_type": "PSTN_OUT_INCOUNTRY"], account: (2, "s-usd"))
                #expect(decimalText(Self.groups(usd).first?["price"]) == "0.0117")
                #expect(Self.groups(usd).first?["price_group_id"] as? Int == fixed["price_group_id"] as? Int)

                // Several types in one call, in the order asked; a type the deck lacks is answered empty.
                let several = try await client.platform("GetResourcePrice", ["resource_type": "PSTNOUT_EEA;PSTN_INTERNATIONAL;VOIPIN"])
                let types = (several["result"] as? [[String: Any]])?.map { $0["resource_type"] as? String }
                #expect(types == ["PSTNOUT_EEA", "PSTN_INTERNATIONAL", "VOIPIN"])
                #expect(Self.groups(several, 0).map { $0["price_group_name"] as? String } == ["Germany Fixed"])
                #expect(decimalText(Self.groups(several, 0).first?["quantum"]) == "6")
                #expect(Self.groups(several, 2).isEmpty)
                let premium = try #require(Self.groups(several, 1).first { $0["price_group_name"] as? String == "Germany Premium" })
                #expect(decimalText(premium["connect_fee"]) == "0.1")
                #expect(premium["quantum"] as? Int == 1)
                #expect((premium["params"] as? [String: Any])?["allowed"] as? [String] == ["49900"])

                // Without a type: every resource, including SMS and inbound ones.
                let all = try await client.platform("GetResourcePrice")
                let allTypes = (all["result"] as? [[String: Any]])?.compactMap { $0["resource_type"] as? String } ?? []
                #expect(allTypes.contains("SMSOUT"))
                #expect(allTypes.contains("PSTN_IN_TOLLFREE_CO"))
            }
        }
    }

    @Test("GetResourcePrice filters: price_group_id, price_group_name templates, resource_param numbers")
    func resourcePriceFilters() async throws {
        try await HTTPFixture.withVoximplant { fixture in
            try await fixture.test { client in
                let all = try await client.platform("GetResourcePrice", ["resource_type": "PSTN_INTERNATIONAL"])
                let premium = try #require(Self.groups(all).first { $0["price_group_name"] as? String == "Germany Premium" })
                let id = try #require(premium["price_group_id"] as? Int)
                let byID = try await client.platform("GetResourcePrice", ["price_group_id": String(id)])
                #expect((byID["result"] as? [[String: Any]])?.count == 1)
                #expect(Self.groups(byID).map { $0["price_group_id"] as? Int } == [id])

                let byName = try await client.platform("GetResourcePrice", ["resource_type": "PSTN_INTERNATIONAL", "price_group_name": "germany%"])
                #expect(Set(Self.groups(byName).compactMap { $0["price_group_name"] as? String }) == ["Germany Fixed", "Germany Premium"])

                // A number: only the group that prices it, in each list, with the number echoed.
                let number = try await client.platform("GetResourcePrice", ["resource_param": "4990012345"])
                let result = try #require(number["result"] as? [[String: Any]])
                #expect(result.map { $0["resource_type"] as? String } == ["PSTNOUT_EEA", "PSTN_INTERNATIONAL"])
                #expect(Self.groups(number, 0).map { $0["price_group_name"] as? String } == ["Germany Fixed"])
                #expect(Self.groups(number, 1).map { $0["price_group_name"] as? String } == ["Germany Premium"])
                #expect((Self.groups(number, 1).first?["params"] as? [String: Any])?["requested"] as? [String] == ["4990012345"])

                // An inbound resource and a number called: the rows for its country and category.
                let tollFree = try await client.platform(
                    "GetResourcePrice",
                    ["resource_type": "PSTN_IN_TOLLFREE_CO", "resource_param": "+5718001234567"]
                )
                #expect(Self.groups(tollFree).count == 2)
                let bad = try await client.platform("GetResourcePrice", ["resource_param": "not-a-number"])
                #expect(platformError(bad)?.code == 101)
            }
        }
    }

    @Test("GetPhoneNumberCategories: NRC, MRC and the incoming-call resource per category")
    func categories() async throws {
        try await HTTPFixture.withVoximplant { fixture in
            try await fixture.test { client in
                let body = try await client.platform("GetPhoneNumberCategories", ["country_code": "MX;CO"], account: (2, "s-usd"))
                let countries = try #require(body["result"] as? [[String: Any]])
                #expect(countries.map { $0["country_code"] as? String } == ["MX", "CO"])
                #expect(countries[0]["phone_prefix"] as? String == "52")
                let mexico = try #require(countries[0]["phone_categories"] as? [[String: Any]])
                #expect(mexico.map { $0["phone_category_name"] as? String } == ["GEOGRAPHIC", "TOLLFREE"])
                // 10 and 5 EUR at 1.17.
                #expect(decimalText(mexico[0]["phone_installation_price"]) == "11.7")
                #expect(decimalText(mexico[0]["phone_price"]) == "5.85")
                let colombia = try #require(countries[1]["phone_categories"] as? [[String: Any]])
                #expect(colombia.first?["incoming_calls_resource_name"] as? String == "PSTN_IN_TOLLFREE_CO")
                #expect(decimalText(colombia.first?["phone_price"]) == "15.79")

                let unknown = try await client.platform("GetPhoneNumberCategories", ["country_code": "XX"])
                #expect(platformError(unknown)?.code == 101)
            }
        }
    }

    @Test("GetPhoneNumberRegions: local and account prices, and the older names")
    func regions() async throws {
        try await HTTPFixture.withVoximplant { fixture in
            try await fixture.test { client in
                let body = try await client.platform(
                    "GetPhoneNumberRegions",
                    ["country_code": "MX", "phone_category_name": "GEOGRAPHIC"],
                    account: (2, "s-usd")
                )
                let regions = try #require(body["result"] as? [[String: Any]])
                #expect(regions.count == 1)
                let city = regions[0]
                #expect(city["phone_region_name"] as? String == "Mexico City")
                #expect(city["phone_region_code"] as? String == "55")
                #expect(decimalText(city["local_price"]) == "6")
                #expect(decimalText(city["local_installation_price"]) == "12")
                #expect(city["local_currency"] as? String == "EUR")
                #expect(decimalText(city["account_price"]) == "7.02")
                #expect(decimalText(city["account_installation_price"]) == "14.04")
                #expect(city["account_currency"] as? String == "USD")
                #expect(decimalText(city["phone_price"]) == "7.02")
                #expect(city["phone_period"] as? String == "0-1-0 0:0:0")
                let id = try #require(city["phone_region_id"] as? Int)
                let byID = try await client.platform(
                    "GetPhoneNumberRegions",
                    ["country_code": "MX", "phone_category_name": "GEOGRAPHIC", "phone_region_id": String(id + 1)]
                )
                #expect((byID["result"] as? [Any])?.isEmpty == true)
                // No regions in the deck: the whole country is the one region.
                let tollFree = try await client.platform("GetPhoneNumberRegions", ["country_code": "MX", "phone_category_name": "TOLLFREE"])
                #expect(((tollFree["result"] as? [[String: Any]])?.first)?["phone_region_name"] as? String == "Mexico")
            }
        }
    }

    @Test("GetSubscriptionPrice: templates with both currencies, paged by count and offset")
    func subscriptions() async throws {
        try await HTTPFixture.withVoximplant { fixture in
            try await fixture.test { client in
                let all = try await client.platform("GetSubscriptionPrice", [:], account: (2, "s-usd"))
                #expect(all["total_count"] as? Int == 4)
                let templates = try #require(all["result"] as? [[String: Any]])
                let city = try #require(templates.first { $0["subscription_template_name"] as? String == "Phone MX GEOGRAPHIC 55" })
                #expect(city["subscription_template_type"] as? String == "PHONE_NUM")
                #expect(decimalText(city["price"]) == "7.02")
                #expect(decimalText(city["price_in_currency"]) == "6")
                #expect(city["currency"] as? String == "EUR")
                #expect(city["currency_id"] as? Int == 978)
                let page = try await client.platform("GetSubscriptionPrice", ["count": "2", "offset": "3"])
                #expect(page["count"] as? Int == 1)
                #expect(page["total_count"] as? Int == 4)
                let sip = try await client.platform("GetSubscriptionPrice", ["subscription_template_type": "SIP_REGISTRATION"])
                #expect(sip["total_count"] as? Int == 0)
            }
        }
    }

    @Test("GetCurrencyRate: an object of rates per US dollar; GetTransactionHistory: empty with its full shape")
    func currencyAndHistory() async throws {
        try await HTTPFixture.withVoximplant { fixture in
            try await fixture.test { client in
                let rates = try await client.platform("GetCurrencyRate", ["currency": "EUR;USD", "date": "2026-06-01"])
                let result = try #require(rates["result"] as? [String: Any])
                #expect(result.keys.sorted() == ["EUR", "USD"])
                #expect(decimalText(result["EUR"]) == "0.85470085")
                let before = try await client.platform("GetCurrencyRate", ["currency": "EUR", "date": "2025-01-01"])
                #expect(platformError(before)?.code == 101)
                #expect(platformError(try await client.platform("GetCurrencyRate"))?.code == 101)

                let history = try await client.platform(
                    "GetTransactionHistory",
                    ["from_date": "2026-01-01 00:00:00", "to_date": "2026-12-31 23:59:59"]
                )
                #expect((history["result"] as? [Any])?.isEmpty == true)
                #expect(history["total_count"] as? Int == 0)
                #expect(history["timezone"] as? String == "Etc/GMT")
                let missing = try await client.platform("GetTransactionHistory", ["to_date": "2026-12-31 23:59:59"])
                #expect(platformError(missing)?.code == 101)
                let tooMany = try await client.platform(
                    "GetTransactionHistory",
                    ["from_date": "2026-01-01", "to_date": "2026-01-02", "count": "1001"]
                )
                #expect(platformError(tooMany)?.code == 101)

                let info = try #require(try await client.platform("GetAccountInfo", [:], account: (2, "s-usd"))["result"] as? [String: Any])
                #expect(info["currency"] as? String == "USD")
                #expect(decimalText(info["balance"]) == "0")
                let created = try #require(info["created"] as? String)
                #expect(PlatformParameters.isPlatformDate(created))
            }
        }
    }
}
