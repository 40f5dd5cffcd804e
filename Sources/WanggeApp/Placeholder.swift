import Hummingbird
import HummingbirdBcrypt
import Crypto
