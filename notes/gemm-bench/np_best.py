import numpy as np, time, sys, os
SECS = float(os.environ.get("SECS", "2.5"))  # thread CPU seconds per shape
dt = np.float64 if sys.argv[1]=="f64" else np.float32
for spec in sys.argv[2:]:
    sh, tr = spec.split(":"); d=[int(v) for v in sh.split("x")]
    m,k,n = (d[0],)*3 if len(d)==1 else d
    ta, tb = tr[0]=="T", tr[1]=="T"
    A=np.random.rand(k,m).astype(dt) if ta else np.random.rand(m,k).astype(dt)
    B=np.random.rand(n,k).astype(dt) if tb else np.random.rand(k,n).astype(dt)
    opA=A.T if ta else A; opB=B.T if tb else B
    C=np.empty((m,n),dt); flop=2.0*m*n*k; reps=max(1,int(2e7/flop)); best=0
    end=time.thread_time()+SECS
    while time.thread_time()<end:
        t0=time.thread_time()
        for _ in range(reps): np.matmul(opA,opB,out=C)
        best=max(best,flop*reps/(time.thread_time()-t0)/1e9)
    print("numpy %s %-14s %s best %.1f GFLOPS"%(sys.argv[1],sh,tr,best))
