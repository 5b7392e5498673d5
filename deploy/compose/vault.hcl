# Vault server for deploy/compose: file storage on the vault-data volume, sealed until unsealed.
# The listener has no TLS because it is reached only on the compose network and on the host's loopback
# (compose.yaml publishes 127.0.0.1:8200). Anywhere else, give it a certificate (tls_cert_file, tls_key_file) and
# set netsnap.vault.address to https:// with netsnap.vault.ca-bundle.
storage "file" {
  path = "/vault/file"
}

listener "tcp" {
  address     = "0.0.0.0:8200"
  tls_disable = true
}

api_addr = "http://vault:8200"
ui       = false
