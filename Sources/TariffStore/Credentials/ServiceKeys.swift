public import Foundation
import TariffCore
import _CryptoExtras

/// Makes Voximplant service-account keys. The private key is handed to the caller once, for the
/// credentials file; only the public key is stored, so the database cannot sign tokens.
public enum ServiceKeys {
    /// A fresh key pair and the id tokens will name it by.
    public struct Generated: Sendable {
        /// A lowercase UUID: the JWT `kid`.
        public let keyID: String
        /// PKCS#8 PEM ("-----BEGIN PRIVATE KEY-----"), which every Voximplant SDK's JWT library loads.
        public let privateKeyPEM: String
        /// SubjectPublicKeyInfo PEM ("-----BEGIN PUBLIC KEY-----").
        public let publicKeyPEM: String
    }

    /// An RSA 2048 key pair; RS256, the algorithm Voximplant tokens use, needs RSA.
    public static func generate() throws -> Generated {
        let key = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        return Generated(
            keyID: UUID().uuidString.lowercased(),
            privateKeyPEM: key.pkcs8PEMRepresentation,
            publicKeyPEM: key.publicKey.pemRepresentation
        )
    }
}

/// The credentials file Voximplant's SDKs load (Node `VoximplantApiClientKey`, Go
/// `KeyPairResult`, Python `from_key_file`): top-level snake_case fields.
public struct ServiceAccountCredentials: Codable, Sendable, Hashable {
    public let accountID: Int64
    /// Empty when the account has no e-mail address: the SDKs expect the field to be a string.
    public let accountEmail: String
    public let keyID: String
    public let privateKey: String

    enum CodingKeys: String, CodingKey {
        case accountID = "account_id"
        case accountEmail = "account_email"
        case keyID = "key_id"
        case privateKey = "private_key"
    }

    public init(accountID: Int64, accountEmail: String, keyID: String, privateKey: String) {
        self.accountID = accountID
        self.accountEmail = accountEmail
        self.keyID = keyID
        self.privateKey = privateKey
    }

    /// The file's bytes: pretty-printed JSON with the PEM's slashes left as they are.
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }
}
