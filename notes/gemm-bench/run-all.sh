#!/bin/bash
# notes/gemm-bench/run-all.sh — per-thread CPU-time GEMM comparison, vecprop vs OpenBLAS (numpy), one thread.
# Best of repeated ~20 MFLOP batches over SECS (default 1) s of thread CPU time per problem (Quick.java, np_best.py),
# in ROUNDS (default 3) alternating rounds of vecprop then numpy; best_table.py prints the best of the rounds per
# side and their ratio. Far less sensitive to a noisy shared host than wall-clock JMH, at the price of not being JMH. Run from the
# repository root (S32="shape:op ..." and S64=... choose the shapes, S64= none) after `./vecprop mvn -q -DskipTests -pl kernels package`.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
J=$(./vecprop java)/bin
tmp=$(mktemp -d)
"$J/javac" --add-modules jdk.incubator.vector -cp kernels/target/classes -d "$tmp" "$here/Quick.java" 2>/dev/null
S32="${S32:-64:NN 64:NT 64:TN 64:TT 128:NN 128:NT 128:TN 128:TT 256:NN 256:NT 256:TN 256:TT 512:NN 512:NT 512:TN 512:TT
 1024:NN 1024:NT 1024:TN 1024:TT 2048:NN 2048:NT 2048:TN 2048:TT
 128x784x256:NT 128x256x128:NT 128x128x10:NT 128x256x784:NN 128x128x256:NN 128x10x128:NN 32x512x512:NN
 256x128x784:TN 128x128x256:TN 10x128x128:TN
 128x256x10:NT 128x10x256:NN 10x128x256:TN 32x512x512:NT 512x32x512:TN 1x4096x4096:NN 1x4096x4096:NT 4096x4096x1:NN 4x1024x1024:NN 4x1024x1024:NT}"
S64="${S64-1024:NN 1024:NT}"
ROUNDS=${ROUNDS:-3}; SECS=${SECS:-1.0}
for r in $(seq "$ROUNDS"); do
  "$J/java" -Dsecs="$SECS" --add-modules jdk.incubator.vector -cp "kernels/target/classes:$tmp" Quick f32 $S32 2>&1 | grep -v WARN
  [ -z "$S64" ] || "$J/java" -Dsecs="$SECS" --add-modules jdk.incubator.vector -cp "kernels/target/classes:$tmp" Quick f64 $S64 2>&1 | grep -v WARN
  (unset OPENBLAS_CORETYPE OPENBLAS_L2_SIZE; export OPENBLAS_NUM_THREADS=1 SECS
   python3 "$here/np_best.py" f32 $S32; [ -z "$S64" ] || python3 "$here/np_best.py" f64 $S64)
done | tee "$tmp/rounds.txt"
python3 "$here/best_table.py" < "$tmp/rounds.txt"
rm -rf "$tmp"
