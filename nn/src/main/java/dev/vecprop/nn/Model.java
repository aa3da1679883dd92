package dev.vecprop.nn;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A network ready to run: a root {@link Layer} (usually a {@link Sequential}) plus the flat arenas its
 * parameters live in.
 *
 * <p>Construction walks the layer tree depth-first (a layer's own parameters, then its children in order),
 * names every parameter by its path (PyTorch {@code state_dict} style: {@code "0.weight"}, {@code "3.0.bias"}),
 * lays all of them out one after another in one value arena and one gradient arena of the model's dtype, and
 * draws the first values: parameter {@code i} from its own stream of {@code seed}, so the same seed gives
 * bitwise the same model, and adding a layer at the end does not change the earlier ones. Values are drawn in
 * double and rounded once, so an F32 model is exactly the rounding of the F64 model with the same layers and seed
 * (what float32-against-float64 checks need).
 *
 * <p>Thread-safety: {@link #forward} with {@link Mode#INFERENCE} may run from many threads at once, each with
 * its own {@link Context}, as long as nobody changes the parameters meanwhile (training, {@link #load}).
 * Everything that writes arenas (backward, zeroGrad, optimizer steps, load) is for one thread at a time.
 */
public final class Model {
    private final Layer root;
    private final DType dtype;
    private final long seed;
    private final List<Parameter> parameters;
    private final Map<String, Parameter> byName;
    private final Tensor values;
    private final Tensor grads;

    /**
     * Binds the parameters of {@code root} (and everything inside it) to new arenas and initialises them.
     *
     * @param root  the network
     * @param dtype F32 (fast) or F64 (gradient checks)
     * @param seed  the seed every initial value is drawn from
     * @throws IllegalArgumentException if a layer instance occurs twice in the tree, or a parameter already belongs
     *                                  to another model
     */
    public Model(Layer root, DType dtype, long seed) {
        this.root = Objects.requireNonNull(root, "root");
        this.dtype = Objects.requireNonNull(dtype, "dtype");
        this.seed = seed;
        List<Parameter> ps = new ArrayList<>();
        List<String> names = new ArrayList<>();
        collect(root, "", ps, names, java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>()));
        Map<String, Parameter> map = new LinkedHashMap<>();
        long total = 0;
        for (int i = 0; i < ps.size(); i++) {
            if (map.put(names.get(i), ps.get(i)) != null) {
                throw new IllegalArgumentException("two parameters are named '" + names.get(i) + "'");
            }
            total += ps.get(i).size();
        }
        for (int i = 0; i < ps.size(); i++) {
            for (int j = 0; j < i; j++) {
                if (ps.get(i) == ps.get(j)) {
                    throw new IllegalArgumentException("parameter '" + names.get(i) + "' occurs twice (as '"
                            + names.get(j) + "'): a layer instance can be used only once in a model");
                }
            }
            if (ps.get(i).isBound()) {
                throw new IllegalArgumentException("parameter '" + names.get(i) + "' already belongs to another model");
            }
        }
        if (total > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("the model has " + total + " parameters; at most 2^31-9 fit an arena");
        }
        values = Tensor.zeros(dtype, (int) total);
        grads = Tensor.zeros(dtype, (int) total);
        int at = 0;
        for (int i = 0; i < ps.size(); i++) {
            Parameter p = ps.get(i);
            p.bind(this, names.get(i), at, values, grads);
            initialise(p, new Rng(Rng.derive(seed, i)));
            at += p.size();
        }
        parameters = Collections.unmodifiableList(ps);
        byName = Collections.unmodifiableMap(map);
    }

    private static void collect(Layer layer, String prefix, List<Parameter> out, List<String> names,
                                java.util.Set<Layer> seen) {
        if (!seen.add(Objects.requireNonNull(layer, "layer at '" + prefix + "'"))) {
            // its per-call state lives in the context under the layer's identity: two uses would overwrite it
            throw new IllegalArgumentException("layer " + layer + " occurs twice in the model (again at '" + prefix
                    + "'); use a new instance for each place");
        }
        for (Parameter p : layer.parameters()) {
            out.add(p);
            names.add(prefix + p.localName());
        }
        List<Layer> kids = layer.children();
        for (int i = 0; i < kids.size(); i++) {
            collect(kids.get(i), prefix + i + ".", out, names, seen);
        }
    }

    private static void initialise(Parameter p, Rng rng) {
        Tensor v = p.value();
        double fanIn = p.fanIn();
        double fanOut = p.fanOut();
        int n = p.size();
        switch (p.init()) {
            case ZEROS -> Kern.fill(v, 0.0);
            case ONES -> Kern.fill(v, 1.0);
            case HE_NORMAL -> gaussian(v, rng, Math.sqrt(2.0 / fanIn));
            case XAVIER_NORMAL -> gaussian(v, rng, Math.sqrt(2.0 / (fanIn + fanOut)));
            case HE_UNIFORM -> uniform(v, rng, Math.sqrt(6.0 / fanIn));
            case XAVIER_UNIFORM -> uniform(v, rng, Math.sqrt(6.0 / (fanIn + fanOut)));
        }
        assert n == v.size();
    }

    private static void gaussian(Tensor v, Rng rng, double std) {
        for (int i = 0; i < v.size(); i++) {
            v.set(i, std * rng.nextGaussian());
        }
    }

    private static void uniform(Tensor v, Rng rng, double bound) {
        for (int i = 0; i < v.size(); i++) {
            v.set(i, bound * (2.0 * rng.nextDouble() - 1.0));
        }
    }

    /** @return the root layer */
    public Layer root() {
        return root;
    }

    /** @return the dtype of every parameter, and of the inputs this model accepts */
    public DType dtype() {
        return dtype;
    }

    /** @return the seed the initial values were drawn from */
    public long seed() {
        return seed;
    }

    /** @return every parameter in arena order (unmodifiable) */
    public List<Parameter> parameters() {
        return parameters;
    }

    /**
     * The parameter with this full name.
     *
     * @throws IllegalArgumentException if there is none (the message lists the names)
     */
    public Parameter parameter(String name) {
        Parameter p = byName.get(name);
        if (p == null) {
            throw new IllegalArgumentException("no parameter '" + name + "'; the model has " + byName.keySet());
        }
        return p;
    }

    /** @return the total number of parameter elements */
    public int parameterCount() {
        return values.size();
    }

    /** @return the value arena: every parameter's values, one after another, as one 1-D tensor (a view) */
    public Tensor values() {
        return values;
    }

    /** @return the gradient arena, same layout as {@link #values()} (a view) */
    public Tensor grads() {
        clearPendingGrads(); // only a layer calling this inside computeGradients can find a pending region
        return grads;
    }

    private void clearPendingGrads() {
        for (int i = 0; i < parameters.size(); i++) {
            parameters.get(i).clearPendingGrad();
        }
    }

    /**
     * Forward pass of the whole network.
     *
     * @throws IllegalArgumentException if {@code x}'s dtype is not the model's, or its shape does not fit
     */
    public Tensor forward(Tensor x, Context ctx, Mode mode) {
        Objects.requireNonNull(x, "x");
        Objects.requireNonNull(ctx, "ctx");
        Objects.requireNonNull(mode, "mode");
        if (x.dtype() != dtype) {
            throw new IllegalArgumentException("input is " + x.dtype() + " but the model is " + dtype
                    + " (convert with x.copy(DType." + dtype + "))");
        }
        return root.forward(x, ctx, mode);
    }

    /** Backward pass of the whole network: adds into {@link #grads()}, returns dx. See {@link Layer#backward}. */
    public Tensor backward(Tensor dy, Context ctx) {
        checkDy(dy, ctx);
        return root.backward(dy, ctx);
    }

    /**
     * Backward pass that only adds parameter gradients into {@link #grads()}, skipping the gradient of the
     * model's input (what training needs; the trainer uses it). See {@link Layer#backwardParameters}.
     */
    public void backwardParameters(Tensor dy, Context ctx) {
        checkDy(dy, ctx);
        root.backwardParameters(dy, ctx);
    }

    /**
     * The gradients of this backward pass alone: the same result as {@link #zeroGrad()} followed by
     * {@link #backwardParameters}, without the separate pass that zeroes the arena. Each parameter's first
     * gradient write overwrites its region instead of adding to it (a {@link Linear}'s {@code dW} GEMM runs with
     * β = 0); regions no layer writes are zeroed before this returns. What a training step needs; the
     * {@link Trainer} uses it.
     *
     * <p>Bad input is refused before any gradient is written, and the arena is then unchanged, when every layer
     * can check ahead ({@link Layer#checkBackward}; all of vecprop's layers do). A custom layer that cannot
     * (its {@code checkBackward} returns null) refuses inside its own backward, after the layers behind it have
     * written theirs: the arena then holds those, and zeros everywhere else.
     *
     * @throws IllegalArgumentException if {@code dy} does not fit the last forward (wrong dtype or shape)
     * @throws IllegalStateException    if there was no forward with {@code ctx}
     * @throws NullPointerException     if {@code dy} or {@code ctx} is null
     */
    public void computeGradients(Tensor dy, Context ctx) {
        checkDy(dy, ctx);
        root.checkBackward(dy, ctx);
        for (int i = 0; i < parameters.size(); i++) {
            parameters.get(i).markGradPendingZero();
        }
        try {
            root.backwardParameters(dy, ctx);
        } finally {
            clearPendingGrads(); // regions no layer wrote (and all of them if a layer threw) end up zero
        }
    }

    /** The checks every backward entry point makes before anything is written. */
    private void checkDy(Tensor dy, Context ctx) {
        Objects.requireNonNull(dy, "dy");
        Objects.requireNonNull(ctx, "ctx");
        if (dy.dtype() != dtype) {
            throw new IllegalArgumentException("dy is " + dy.dtype() + " but the model is " + dtype);
        }
    }

    /** Sets every gradient to zero (one pass over the gradient arena). */
    public void zeroGrad() {
        Kern.fill(grads, 0.0);
    }

    /** @return the L2 norm of all gradients together, {@code sqrt(Σ g²)} */
    public double gradNorm() {
        return Math.sqrt(Kern.sumSquares(grads(), 0, grads.size()));
    }

    /**
     * Global-norm gradient clipping with PyTorch's {@code clip_grad_norm_} semantics, the steps of the kernel
     * {@link dev.vecprop.kernels.Updates#clipGlobalNorm} (bitwise the same result): with {@code N} the L2 norm of all gradients together,
     * every gradient is scaled by {@code min(1, maxNorm / (N + 1e-6))}. A NaN or infinite {@code N} leaves them
     * unchanged (the caller can skip the step). {@code maxNorm = 0} zeroes the gradients (as PyTorch);
     * {@code maxNorm = +∞} never clips. The {@link Trainer} clips through this method.
     *
     * @return the norm {@code N} before clipping
     * @throws IllegalArgumentException if {@code maxNorm} is negative or NaN; nothing
     *                                  is changed then
     */
    public double clipGradNorm(double maxNorm) {
        checkMaxNorm(maxNorm);
        return Kern.clipGlobalNorm(grads(), maxNorm);
    }

    /**
     * The one validation rule for a clipping bound, shared by {@link #clipGradNorm} and
     * {@link Trainer#clipGradNorm} and equal to the kernel's: {@code maxNorm >= 0} and not NaN.
     */
    static void checkMaxNorm(double maxNorm) {
        if (!(maxNorm >= 0)) {
            throw new IllegalArgumentException("maxNorm must be >= 0 (not NaN), but was " + maxNorm);
        }
    }

    /**
     * Copies every parameter value from {@code source}, a model with the same parameter names and shapes in
     * any dtype (converting, e.g. to check a trained float32 model in float64). Validated before anything is
     * copied.
     *
     * @throws IllegalArgumentException if the names or shapes differ (nothing is changed)
     */
    public void copyValuesFrom(Model source) {
        Objects.requireNonNull(source, "source");
        if (source.parameters.size() != parameters.size()) {
            throw new IllegalArgumentException("source has " + source.parameters.size() + " parameters, this model "
                    + parameters.size());
        }
        for (int i = 0; i < parameters.size(); i++) {
            Parameter a = parameters.get(i), b = source.parameters.get(i);
            if (!a.name().equals(b.name()) || !java.util.Arrays.equals(a.shape(), b.shape())) {
                throw new IllegalArgumentException("parameter " + i + " differs: this model has " + a.name()
                        + Tensor.shapeString(a.shape()) + ", the source " + b.name() + Tensor.shapeString(b.shape()));
            }
        }
        if (source.dtype == dtype) {
            Kern.copy(source.values, values);
        } else {
            for (int i = 0; i < values.size(); i++) { // a dtype conversion: no kernel converts float <-> double
                values.set(i, source.values.get(i));
            }
        }
    }

    /**
     * Saves the parameters to a safetensors file (names as in {@link #parameters()}, dtype F32 or F64, little
     * endian). Atomic: written to a temporary file in the same directory, then renamed over {@code file}.
     */
    public void save(Path file) throws IOException {
        SafeTensors.save(this, file, Map.of());
    }

    /**
     * Like {@link #save(Path)}, and also stores {@code metadata} in the file's standard safetensors
     * {@code "__metadata__"} header object (string to string), e.g. the architecture needed to rebuild the
     * network. The entries {@code format=pt} and {@code producer=vecprop} are always written; a caller entry
     * with the same key replaces them. Read it back with {@link #readMetadata}.
     *
     * @throws NullPointerException if {@code metadata} is null
     * @throws IllegalArgumentException if a key or value is null or not a String; checked before anything is
     *         written
     */
    public void save(Path file, Map<String, String> metadata) throws IOException {
        SafeTensors.save(this, file, metadata);
    }

    /**
     * The {@code "__metadata__"} strings of a safetensors file (empty if it has none), read without a model.
     * The whole file is validated as strictly as {@link #load} does (header JSON, tensor entries, the data
     * section tiled exactly, metadata values all strings); a bad file is refused with an {@link IOException}.
     *
     * @return an unmodifiable map in the file's order
     */
    public static Map<String, String> readMetadata(Path file) throws IOException {
        return SafeTensors.readMetadata(file);
    }

    /**
     * Loads parameters from a safetensors file written by {@link #save} (or by the Python {@code safetensors}
     * package with the same names, dtype and shapes). Everything is validated before any parameter is
     * changed; a malformed, truncated or mismatched file is refused with an {@link IOException} saying what is
     * wrong, and the model stays as it was.
     */
    public void load(Path file) throws IOException {
        SafeTensors.load(this, file);
    }

    @Override
    public String toString() {
        return "Model(" + dtype + ", " + parameters.size() + " parameter tensors, " + parameterCount() + " values)";
    }
}
