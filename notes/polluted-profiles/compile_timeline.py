import re,sys
f=sys.argv[1]; pat=sys.argv[2] if len(sys.argv)>2 else 'kernel8x3'
txt=open(f,errors='replace').read()
# map compile_id -> method
ids={}
for m in re.finditer(r"<(task_queued|nmethod|task) ([^>]*)>",txt):
    a=m.group(2)
    mm=re.search(r"method='([^']*)'",a); cid=re.search(r"compile_id='(\d+)'",a)
    if mm and cid and pat in mm.group(1): ids[cid.group(1)]=mm.group(1).split()[0].split('.')[-1]+'.'+mm.group(1).split()[1]
for m in re.finditer(r"<nmethod ([^>]*)>",txt):
    a=m.group(1); cid=re.search(r"compile_id='(\d+)'",a).group(1)
    if cid in ids:
        g=lambda k:(re.search(k+r"='([^']*)'",a) or [None,'-'])[1]
        print('NM',g('stamp'),cid,ids[cid],g('compile_kind'),g('compiler'),g('level'),g('size'))
for m in re.finditer(r"<(make_not_entrant|uncommon_trap|deoptimized) ([^>]*)>",txt):
    a=m.group(2); cid=re.search(r"compile_id='(\d+)'",a)
    if cid and cid.group(1) in ids:
        print(m.group(1),cid.group(1),ids[cid.group(1)],a[:300])
