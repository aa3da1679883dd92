package dev.vecprop.examples;

/** The work behind train, eval, predict and gradients: wired to the nn module once it is available. */
final class Training {
    private Training() {
    }

    private static Main.UserException notYet(String command) {
        return new Main.UserException(command + " is not available yet: it needs the nn module (layers, loss,"
                + " optimizer, model files), which is still being written. './vecprop demo' works.");
    }

    static int train(TrainCommand c, Main.Env env) {
        throw notYet("train");
    }

    static int eval(EvalCommand c, Main.Env env) {
        throw notYet("eval");
    }

    static int predict(PredictCommand c, Main.Env env) {
        throw notYet("predict");
    }

    static int gradients(GradientsCommand c, Main.Env env) {
        throw notYet("gradients");
    }
}
