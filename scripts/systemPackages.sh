#!/bin/sh
# Installs the Debian packages the test suite needs beyond npm: Chromium (webview and VS Code
# UI tests), ripgrep and Kerberos headers (the offline VS Code build), PyTorch and the ONNX
# conformance data (numerical reference values), OmegaConf (running the multi-file fixtures). Does nothing when they are already present.
set -eu
missing=""
command -v chromium >/dev/null 2>&1 || missing="$missing chromium"
command -v rg >/dev/null 2>&1 || missing="$missing ripgrep"
[ -e /usr/include/krb5.h ] || [ -e /usr/include/krb5/krb5.h ] || missing="$missing libkrb5-dev"
/usr/bin/python3 -c "import torch, numpy" >/dev/null 2>&1 || missing="$missing python3-torch python3-numpy"
/usr/bin/python3 -c "import omegaconf" >/dev/null 2>&1 || missing="$missing python3-omegaconf"
[ -d /usr/share/libonnx-testdata/data/node ] || missing="$missing libonnx-testdata"
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "normlint tests need these Debian packages:$missing" >&2
  echo "install them with: sudo apt-get install -y$missing" >&2
  exit 1
fi
echo "installing Debian packages:$missing"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
