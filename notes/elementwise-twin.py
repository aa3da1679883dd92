#!/usr/bin/env python3
"""Regenerates the double section of a kernel class from its float section (between the marker lines)."""
import re, sys
BEGIN_F = '    // <float>'
END_F = '    // </float>'
BEGIN_D = '    // <double> mirrored from the float section above: same names, same argument order'
END_D = '    // </double>'
def convert(t):
    t = re.sub(r'(?<![\w.])(\d+\.\d*(?:[eE][+-]?\d+)?|\d+[eE][+-]?\d+|\d+)f\b', r'\1', t)
    reps = [('FloatVector', 'DoubleVector'), ('Species.FL', 'Species.DL'), ('Species.F', 'Species.D'),
            ('float[]', 'double[]'), ('float[][]', 'double[][]'), ('(float)', '(double)'),
            ('Float.', 'Double.'), ('floatLanes', 'doubleLanes'), ('VectorMask<Float>', 'VectorMask<Double>'),
            ('FastMath.F_', 'FastMath.D_'), ('Float32', 'Float64'), ('float32', 'float64')]
    for a, b in reps:
        t = t.replace(a, b)
    t = re.sub(r'\bfloat\b', 'double', t)
    t = t.replace('(double) ScalarMath', 'ScalarMath').replace('(double) (', '(')
    return t
for p in sys.argv[1:]:
    s = open(p).read()
    i = s.index(BEGIN_F); j = s.index(END_F) + len(END_F)
    body = s[i + len(BEGIN_F):s.index(END_F)]
    gen = BEGIN_D + convert(body) + END_D
    if BEGIN_D in s:
        a = s.index(BEGIN_D); b = s.index(END_D) + len(END_D)
        s = s[:a] + gen + s[b:]
    else:
        s = s[:j] + '\n\n' + gen + s[j:]
    open(p, 'w').write(s)
    print('twinned', p)
