import TariffCore
