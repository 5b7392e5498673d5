#!/usr/bin/env bash
# Prepares a Vault server for netsnap with the vault CLI. Run it as an operator whose token may enable secrets
# engines and auth methods (VAULT_ADDR and VAULT_TOKEN set, e.g. after `vault login`). Safe to run again.
#
#   ./setup.sh [secret-id-file]      # default: ./netsnap-secret-id (mode 600)
#
# Environment: NETSNAP_KV_MOUNT (secret), NETSNAP_APPROLE_MOUNT (approle), NETSNAP_ROLE (netsnap),
# NETSNAP_TOKEN_TTL (1h), NETSNAP_TOKEN_MAX_TTL (24h).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
kv="${NETSNAP_KV_MOUNT:-secret}"
approle="${NETSNAP_APPROLE_MOUNT:-approle}"
role="${NETSNAP_ROLE:-netsnap}"
secret_id_file="${1:-./netsnap-secret-id}"

: "${VAULT_ADDR:?set VAULT_ADDR}"
vault token lookup >/dev/null   # fails early without a usable operator token

# KV version 2 at the mount netsnap.vault.mount names.
if ! vault secrets list -format=json | grep -q "\"${kv}/\""; then
  vault secrets enable -path="${kv}" -version=2 kv
fi

# The policy: read the network credentials, look up and renew its own token. Adjust the path when the mount differs.
sed "s|secret/data/|${kv}/data/|g" "${here}/netsnap-policy.hcl" | vault policy write netsnap -

# AppRole for netsnap: short-lived, renewable tokens; secret-ids that do not expire on their own (rotate them).
if ! vault auth list -format=json | grep -q "\"${approle}/\""; then
  vault auth enable -path="${approle}" approle
fi
vault write "auth/${approle}/role/${role}" \
  token_policies=netsnap \
  token_ttl="${NETSNAP_TOKEN_TTL:-1h}" \
  token_max_ttl="${NETSNAP_TOKEN_MAX_TTL:-24h}" \
  secret_id_ttl=0

role_id="$(vault read -field=role_id "auth/${approle}/role/${role}/role-id")"
umask 077
vault write -f -field=secret_id "auth/${approle}/role/${role}/secret-id" > "${secret_id_file}"

# Example credentials with placeholders: replace them with `vault kv put` (or the UI) before the first run.
vault kv put -mount="${kv}" network/default username=netsnap password=CHANGE-ME
vault kv put -mount="${kv}" network/core username=netsnap password=CHANGE-ME enable=CHANGE-ME
vault kv put -mount="${kv}" network/ise username=netsnap password=CHANGE-ME
vault kv put -mount="${kv}" backup/offsite username=netbackup password=CHANGE-ME

cat <<EOT
Vault is ready for netsnap. In application.yaml:

netsnap:
  vault:
    address: ${VAULT_ADDR}
    mount: ${kv}
    auth: approle
    auth-mount: ${approle}
    approle:
      role-id: ${role_id}
      secret-id-file: $(cd "$(dirname "${secret_id_file}")" && pwd)/$(basename "${secret_id_file}")

The secret-id is in ${secret_id_file} (readable by you only); give it to netsnap's service user and nobody else.
EOT
