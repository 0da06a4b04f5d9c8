package dev.fleetgate.agents.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.function.UnaryOperator;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

class SealedValuesTest {
    /** A stand-in for SecretBox.decrypt: "sealed:x" opens to "x", anything else is damaged. */
    private static final UnaryOperator<String> OPEN = s -> {
        if (!s.startsWith("sealed:")) {
            throw new IllegalArgumentException("damaged");
        }
        return s.substring("sealed:".length());
    };

    private static JsonNode json(String s) throws Exception {
        return Json.MAPPER.readTree(s.replace('\'', '"'));
    }

    @Test
    void sealedValuesAreOpenedWhereverTheyAre() throws Exception {
        JsonNode stored = json("{'services':[{'env':{'A':'plain','PW':{'$sealed':'sealed:s3cret'}}}],"
                + "'keys':[{'$sealed':'sealed:k1'},'x']}");
        JsonNode sent = SealedValues.open(stored, OPEN);
        assertEquals(json("{'services':[{'env':{'A':'plain','PW':'s3cret'}}],'keys':['k1','x']}"), sent);
        assertEquals(
                "sealed:s3cret", stored.at("/services/0/env/PW/$sealed").asText(), "the stored body is not changed");
    }

    @Test
    void aBodyWithoutSealedValuesIsNotCopied() throws Exception {
        JsonNode stored = json("{'services':[{'env':{'A':'plain','B':{'$sealed':1},'C':{'$sealed':'x','other':2}}}]}");
        assertSame(stored, SealedValues.open(stored, OPEN));
    }

    @Test
    void aValueThatCannotBeOpenedIsLeftOut() throws Exception {
        JsonNode sent = SealedValues.open(
                json("{'env':{'A':'plain','PW':{'$sealed':'garbage'}},'l':[{'$sealed':'bad'}]}"), OPEN);
        assertEquals(json("{'env':{'A':'plain'},'l':[null]}"), sent);
    }
}
