#!/bin/bash
# usage: cmp.sh f32 shapes...   runs java best-of then numpy best-of
J=$(/work/wt/gemm/vecprop java)/bin
$J/java --add-modules jdk.incubator.vector $JOPTS -cp /work/wt/gemm/kernels/target/classes:/tmp/gq Quick "$@" 2>&1 | grep -v WARN
(unset OPENBLAS_CORETYPE OPENBLAS_L2_SIZE; OPENBLAS_NUM_THREADS=1 python3 /tmp/np_best.py "$@")
