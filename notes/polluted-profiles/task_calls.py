import re,sys
from collections import Counter
txt=open(sys.argv[1],errors='replace').read()
cid=sys.argv[2]
t=re.search(r"<task compile_id='%s'.*?</task>"%cid,txt,re.S).group(0)
meth={}
for m in re.finditer(r"<method id='(\d+)' holder='(\d+)' name='([^']*)'",t): meth[m.group(1)]=(m.group(2),m.group(3))
klass={m.group(1):m.group(2) for m in re.finditer(r"<klass id='(\d+)' name='([^']*)'",t)}
c=Counter()
lines=t.split('\n')
for i,l in enumerate(lines):
    mm=re.search(r"<call method='(\d+)'",l)
    if mm:
        h,n=meth.get(mm.group(1),('?','?'))
        # outcome: next lines
        nxt=' '.join(lines[i+1:i+3])
        o='inline' if '<inline_success' in nxt else ('intrinsic' if '<intrinsic' in nxt else ('FAIL:'+re.search(r"reason='([^']*)'",nxt).group(1) if 'inline_fail' in nxt else ('direct_call' if 'direct_call' in nxt else ('late' if 'late_inline' in nxt else 'other'))))
        c[(klass.get(h,h).split('.')[-1]+'.'+n,o)]+=1
for k,v in sorted(c.items()): print(v,k)
