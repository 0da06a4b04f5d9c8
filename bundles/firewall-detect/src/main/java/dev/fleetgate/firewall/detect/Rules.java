package dev.fleetgate.firewall.detect;

import java.util.List;

/** The default known-bad rules (operators edit the list in the firewall settings). */
public final class Rules {
    private Rules() {}

    private static Rule path(String id, String needle, int weight) {
        return new Rule(id, Rule.PATH, false, needle, weight, false);
    }

    /** A resource probe: counts only when the site does not have it (403/404/410). */
    private static Rule probe(String id, String needle, int weight) {
        return new Rule(id, Rule.PATH, false, needle, weight, true);
    }

    private static Rule ua(String id, String needle) {
        return new Rule(id, Rule.USER_AGENT, false, needle, 2, false);
    }

    /** @return the defaults: traversal, secret-file and CMS probing, SQL injection strings, scanner user agents */
    public static List<Rule> defaults() {
        return List.of(
                path("traversal", "../", 2),
                path("traversal-encoded", "%2e%2e", 2),
                path("traversal-slash-encoded", "..%2f", 2),
                path("traversal-etc-passwd", "/etc/passwd", 2),
                path("dotenv", "/.env", 2),
                path("git", "/.git/", 2),
                probe("git-config", "/.git", 1),
                path("svn", "/.svn/", 2),
                probe("htaccess", "/.ht", 1),
                probe("wp-login", "wp-login.php", 1),
                probe("xmlrpc", "xmlrpc.php", 1),
                probe("wp-admin", "/wp-admin", 1),
                probe("wp-content", "/wp-content/plugins", 1),
                probe("phpmyadmin", "phpmyadmin", 1),
                probe("cgi-bin", "/cgi-bin/", 1),
                path("php-eval", "eval-stdin.php", 2),
                probe("actuator", "/actuator/env", 1),
                path("aws-credentials", "/.aws/", 2),
                path("ssh-keys", "/.ssh/", 2),
                probe("backup-sql", ".sql", 1),
                path("sqli-union", "union select", 2),
                path("sqli-union-plus", "union+select", 2),
                path("sqli-union-enc", "union%20select", 2),
                path("sqli-or", "' or '1'='1", 2),
                path("sqli-or-enc", "%27%20or%20", 2),
                path("sqli-sleep", "sleep(", 1),
                path("sqli-sleep-enc", "sleep%28", 1),
                path("sqli-comment", "'--", 1),
                path("sqli-comment-enc", "%27--", 1),
                path("xss-script", "<script", 1),
                path("xss-script-enc", "%3cscript", 1),
                path("shell", "/bin/sh", 2),
                path("jndi", "${jndi:", 2),
                ua("ua-sqlmap", "sqlmap"),
                ua("ua-nikto", "nikto"),
                ua("ua-nmap", "nmap"),
                ua("ua-masscan", "masscan"),
                ua("ua-zgrab", "zgrab"),
                ua("ua-gobuster", "gobuster"),
                ua("ua-dirbuster", "dirbuster"),
                ua("ua-wpscan", "wpscan"),
                ua("ua-nuclei", "nuclei"),
                ua("ua-ffuf", "fuzz faster u fool"),
                ua("ua-acunetix", "acunetix"),
                ua("ua-hydra", "hydra"));
    }
}
