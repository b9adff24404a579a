# Seed 000, "Incoming phone calls": rates for calls to Colombian toll-free numbers, as written.
import os
from voximplant.apiclient import VoximplantAPI

# The one change to the seed's code: Tariff's address instead of api.voximplant.com. The script
# runs in a directory holding the account's credentials.json, as the seed assumes.
ENDPOINT = os.environ["VOXIMPLANT_ENDPOINT"]


def print_price(price_info):
    print(f"{price_info['price_group_name']} - {price_info['price']}")

#Initialize Voximplant API client
voxapi = VoximplantAPI("credentials.json", endpoint=ENDPOINT)

# Print rates for calls to Colombian toll-free numbers (ISO 3166-1 alpha-2 codes are used)
res = voxapi.get_phone_number_categories(country_code="CO")
for category in res["result"][0]["phone_categories"]:
    if category["phone_category_name"] == "TOLLFREE":
        resource_name = category["incoming_calls_resource_name"]

# Get rates for specified resource name
        rates_res = voxapi.get_resource_price(resource_type=resource_name)
        for price in rates_res["result"][0]["price_groups"]:
            print_price(price)
