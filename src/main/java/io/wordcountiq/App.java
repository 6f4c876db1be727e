package io.wordcountiq;

import io.wordcountiq.config.WordcountConfiguration;
import org.apache.camel.main.Main;

public final class App {

    private App() {
    }

    public static void main(String[] args) throws Exception {
        Main main = new Main();
        main.configure().addConfiguration(WordcountConfiguration.class);
        System.exit(main.run(args));
    }
}
