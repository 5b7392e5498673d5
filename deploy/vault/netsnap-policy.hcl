# netsnap reads device credentials and the backup server's login from KV v2 (mount "secret") and manages nothing
# else.
path "secret/data/network/*" {
  capabilities = ["read"]
}

# netsnap.upload.credentials and netsnap.aruba.scp.credentials
path "secret/data/backup/*" {
  capabilities = ["read"]
}

path "auth/token/lookup-self" {
  capabilities = ["read"]
}

path "auth/token/renew-self" {
  capabilities = ["update"]
}
