# Seed 000, international calls: rates from one country to another, as written; the countries
# are the arguments (the seed uses "PL" "DE").
import os
import sys

from voximplant.apiclient import VoximplantAPI

# The one change to the seed's code: Tariff's address instead of api.voximplant.com. The script
# runs in a directory holding the account's credentials.json, as the seed assumes.
ENDPOINT = os.environ["VOXIMPLANT_ENDPOINT"]


def print_price(price_info):
    print(f"{price_info['price_group_name']} - {price_info['price']}")

def is_eea_country(country_code):
    return country_code in ["AT","BE","BG","HR","CY","CZ","DK","EE","FI","FR","DE","EL","HU","IE","IT","LV","LT","LU","MT","NL","PL","PT","RO","SK","SI","ES","SE","NO","IS","LI"]

def print_rates_for_calls(voxapi, from_country, to_country):
    found_rates = False

    # Check if country is in EEA and try to find EEA rates
    if is_eea_country(from_country):
        res = voxapi.get_resource_price(resource_type="PSTNOUT_EEA")
        for price in res["result"][0]["price_groups"]:
            if price ["country_code"] == to_country:
                print_price(price)
                found_rates = True
        if found_rates:
            return

# Fallback to default international rates    
    res = voxapi.get_resource_price(resource_type="PSTN_INTERNATIONAL")
    for price in res["result"][0]["price_groups"]:
        if "country_code" in price and price ["country_code"] == to_country:
            print_price(price)

# Initialize Voximplant API client
voxapi = VoximplantAPI("credentials.json", endpoint=ENDPOINT)

# Print rates for calls from Poland to Germany (ISO 3166-1 alpha-2 codes are used)
print_rates_for_calls(voxapi, *(sys.argv[1:3] if len(sys.argv) > 2 else ("PL", "DE")))
