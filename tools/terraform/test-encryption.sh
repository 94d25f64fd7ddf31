#!/usr/bin/env bash
# Real-tofu test of terraform/encryption.tofu. The gcp_kms key provider needs Cloud KMS, which is not reachable
# here, so the test swaps exactly that one block for a pbkdf2 key provider (same key length, passphrase taken
# from the same variable) and keeps everything else of the file as it is: the aes_gcm method, `state` and
# `plan` targets and `enforced`. It then proves, with a fixture holding a known secret:
#   1. without encryption the secret is readable in the state (so the checks below can fail);
#   2. with it, neither the state nor the saved plan contains the secret, and both are OpenTofu-encrypted;
#   3. the saved plan applies with the same key, and nothing can be read with a wrong key.
# Usage: bash tools/terraform/test-encryption.sh   (needs the pinned tofu: tools/terraform/install.sh tofu)
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
TOFU="$(bash "${REPO}/tools/terraform/install.sh" tofu-path)"
[[ -x "${TOFU}" ]] || { echo "tofu missing: run bash tools/terraform/install.sh tofu" >&2; exit 1; }
export TF_CLI_CONFIG_FILE="${REPO}/.local/tofurc"
touch "${TF_CLI_CONFIG_FILE}"
export TF_IN_AUTOMATION=1 TF_INPUT=0

work="$(mktemp -d)"
trap 'rm -rf "${work}"' EXIT
SECRET="mongodb+srv://user:S3cr3t-$(date +%s%N)@cluster.example/db"
KEY="a-long-stand-in-passphrase-for-the-kms-key-$$"
fail() { echo "FAIL: $*" >&2; exit 1; }

fixture() { # $1 = directory, $2 = with encryption (yes/no)
  mkdir -p "$1"
  cat > "$1/main.tf" <<TF
variable "state_encryption_key" {
  type = string
}

variable "secret" {
  type      = string
  sensitive = true
}

resource "terraform_data" "holder" {
  input = var.secret
}
TF
  if [[ "$2" == yes ]]; then
    # Replace only the gcp_kms key_provider block (up to its closing brace at the same indentation).
    python3 - "${REPO}/terraform/encryption.tofu" "$1/encryption.tofu" <<'PY'
import re, sys
src = open(sys.argv[1]).read()
block = re.search(r'(?m)^(\s*)key_provider "gcp_kms" "(\w+)" \{\n.*?^\1\}\n', src, re.S)
if not block:
    sys.exit("encryption.tofu has no key_provider \"gcp_kms\" block")
indent, name = block.group(1), block.group(2)
length = re.search(r'key_length\s*=\s*(\d+)', block.group(0)).group(1)
stand_in = (f'{indent}key_provider "pbkdf2" "{name}" {{\n'
            f'{indent}  passphrase = var.state_encryption_key\n'
            f'{indent}  key_length = {length}\n{indent}}}\n')
out = src.replace(block.group(0), stand_in).replace(f"key_provider.gcp_kms.{name}", f"key_provider.pbkdf2.{name}")
for needed in ('method "aes_gcm"', "state {", "plan {", "enforced = true"):
    if needed not in out:
        sys.exit(f"encryption.tofu lacks {needed!r}")
open(sys.argv[2], "w").write(out)
PY
  fi
}

run() { # $1 = dir, rest = tofu args
  local dir="$1"; shift
  "${TOFU}" -chdir="${dir}" "$@" -no-color >"${dir}/last.log" 2>&1
}

# 1. Baseline: without encryption the state holds the secret in clear.
fixture "${work}/plain" no
run "${work}/plain" init -input=false || { cat "${work}/plain/last.log"; fail "init (plain)"; }
run "${work}/plain" apply -auto-approve -var "state_encryption_key=${KEY}" -var "secret=${SECRET}" || fail "apply (plain)"
grep -qF "${SECRET#*:}" "${work}/plain/terraform.tfstate" || fail "baseline state should contain the secret"
echo "ok  baseline: an unencrypted state holds the secret in clear"

# 2. Encrypted: init, plan -out, apply the saved plan, all with the key from the variable.
fixture "${work}/enc" yes
vars=(-var "state_encryption_key=${KEY}")
run "${work}/enc" init -input=false "${vars[@]}" || { cat "${work}/enc/last.log"; fail "init (encrypted)"; }
run "${work}/enc" plan -input=false -out=plan.tfplan "${vars[@]}" -var "secret=${SECRET}" || { cat "${work}/enc/last.log"; fail "plan"; }
if unzip -p "${work}/enc/plan.tfplan" 2>/dev/null | grep -aqF "${SECRET#*:}"; then fail "the saved plan contains the secret"; fi
grep -aqF "${SECRET#*:}" "${work}/enc/plan.tfplan" && fail "the saved plan contains the secret"
echo "ok  the saved plan does not contain the secret"
# A saved plan refuses -var/-var-file, yet the encryption configuration must be evaluated before the plan
# can be read: the key reaches `apply PLAN` through the environment (TF_VAR_...), as the workflows pass it.
TF_VAR_state_encryption_key="${KEY}" run "${work}/enc" apply -input=false plan.tfplan ||
  { cat "${work}/enc/last.log"; fail "apply of the saved plan with TF_VAR_state_encryption_key"; }
state="${work}/enc/terraform.tfstate"
grep -qF "${SECRET#*:}" "${state}" && fail "the encrypted state contains the secret"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if "encrypted_data" in d and "resources" not in d else 1)' "${state}" ||
  fail "the state is not in OpenTofu's encrypted format"
echo "ok  the state is encrypted (encrypted_data, no resources in clear) and the saved plan applied"

# 3. A wrong key reads nothing.
run "${work}/enc" plan -input=false -var "state_encryption_key=${KEY}-wrong" -var "secret=${SECRET}" &&
  fail "a plan with the wrong key succeeded"
grep -qi "decrypt\|encrypt" "${work}/enc/last.log" || { cat "${work}/enc/last.log"; fail "the wrong-key failure does not mention decryption"; }
echo "ok  a wrong key cannot read the state"
echo "encryption.tofu: all checks passed"
