package dev.eddy.viz;

/** Eddy draws into images only, never onto a screen: AWT must start headless (servers have no display). */
public final class Headless {
    private Headless() {
    }

    /** Sets {@code java.awt.headless=true} unless the user chose otherwise; call before any AWT class loads. */
    public static void ensure() {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }
}
