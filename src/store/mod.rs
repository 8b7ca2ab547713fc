//! sled persistence (DESIGN §7): trees, codec, schema version, index trees and transactions.
//! Knows nothing of permissions or screens. Built in the persistent-console issue.
