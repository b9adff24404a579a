# Seed 000, "Subscriptions price": phone number rates for Mexico, as written.
import os
from voximplant.apiclient import VoximplantAPI

# The one change to the seed's code: Tariff's address instead of api.voximplant.com. The script
# runs in a directory holding the account's credentials.json, as the seed assumes.
ENDPOINT = os.environ["VOXIMPLANT_ENDPOINT"]

# Initialize the Voximplant API client
voxapi = VoximplantAPI("credentials.json", endpoint=ENDPOINT)

# Print rates for Mexican numbers (ISO 3166-1 alpha-2 codes are used)
res = voxapi.get_phone_number_categories(country_code="MX")
for category in res["result"][0]["phone_categories"]:
    print(f"{category['phone_category_name']} - NRC: {category['phone_installation_price']}; MRC: {category['phone_price']}")
