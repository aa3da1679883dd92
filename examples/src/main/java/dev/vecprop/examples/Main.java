package dev.vecprop.examples;

/** Entry point of the examples jar: {@code ./vecprop <command>}. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        String command = args.length == 0 ? "demo" : args[0];
        switch (command) {
            case "demo" -> Demo.run();
            default -> {
                System.err.println("vecprop: unknown command '" + command + "'. Commands: demo");
                System.exit(2);
            }
        }
    }
}
