#!/usr/bin/env bash
# Generates the Python client of the contract: message classes and gRPC stubs for orders/v1 and the
# protos it imports (buf/validate, google/rpc status and error details, google/type/date), from proto/ with Debian's
# protoc and gRPC Python plugin (apt-get install protobuf-compiler protobuf-compiler-grpc
# python3-grpcio python3-protobuf). The output, clients/python/gen, is not committed.
set -euo pipefail
cd "$(dirname "$0")/.."

protoc=${PROTOC:-protoc}
plugin=${GRPC_PYTHON_PLUGIN:-/usr/bin/grpc_python_plugin}
out=clients/python/gen

for tool in "$protoc" "$plugin"; do
  if ! command -v "$tool" >/dev/null; then
    echo "python-client: $tool not found; apt-get install protobuf-compiler protobuf-compiler-grpc" >&2
    exit 1
  fi
done
# buf/validate and google/rpc protos are staged from npm packages at install time.
if [ ! -f .deps/proto/buf/validate/validate.proto ] || [ ! -f .deps/proto/google/type/date.proto ]; then
  npm run --silent proto:deps
fi

rm -rf "$out"
mkdir -p "$out"
contract=$(cd proto && find orders -name '*.proto' | sort)
# shellcheck disable=SC2086 # one argument per proto file
"$protoc" -I proto -I .deps/proto \
  --python_out="$out" --pyi_out="$out" \
  --grpc_python_out="$out" --plugin=protoc-gen-grpc_python="$plugin" \
  $contract buf/validate/validate.proto google/rpc/status.proto google/rpc/error_details.proto google/type/date.proto
echo "python-client: generated $(find "$out" -name '*.py' | wc -l) modules in $out"
