# netsnap reads device credentials from KV v2 (mount "secret") and manages nothing else.
path "secret/data/network/*" {
  capabilities = ["read"]
}

path "auth/token/lookup-self" {
  capabilities = ["read"]
}

path "auth/token/renew-self" {
  capabilities = ["update"]
}
