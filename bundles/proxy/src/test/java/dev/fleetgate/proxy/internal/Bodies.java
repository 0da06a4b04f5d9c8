package dev.fleetgate.proxy.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Request bodies for tests; single quotes stand for double quotes. */
final class Bodies {
    static final String AGENT = "0b7c5a1e-2f0a-4d43-9a57-6f1f0f0c0a01";
    static final String AGENT2 = "0b7c5a1e-2f0a-4d43-9a57-6f1f0f0c0a02";

    private Bodies() {}

    static ObjectNode json(String singleQuoted) {
        try {
            return (ObjectNode) Json.MAPPER.readTree(singleQuoted.replace('\'', '"'));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** The proxy module's configuration with its defaults. */
    static ProxyConfig proxyConfig() {
        return new ProxyConfig() {
            @Override
            public Class<? extends java.lang.annotation.Annotation> annotationType() {
                return ProxyConfig.class;
            }

            @Override
            public int edgeTargetPort() {
                return 80;
            }

            @Override
            public String reservedTargetPorts() {
                return TargetPolicy.DEFAULT_RESERVED_PORTS;
            }
        };
    }

    /** The contract's example body. */
    static ObjectNode minimal() {
        return json("{'name':'shop','domains':['shop.example.test'],'agentIds':['" + AGENT + "'],"
                + "'upstream':{'targets':[{'host':'127.0.0.1','port':9001,'weight':1}],'lbMethod':'round_robin',"
                + "'healthCheck':{'path':'/health','intervalSeconds':5,'fall':3,'rise':2}}}");
    }

    /** Every field set. */
    static ObjectNode full() {
        return json("{'name':'shop','domains':['shop.example.test','*.shop.example.test'],'agentIds':['" + AGENT + "'],"
                + "'upstream':{'targets':[{'host':'127.0.0.1','port':9001,'weight':2,'maxFails':3,'failTimeoutSeconds':10},"
                + "{'host':'app.internal','port':9002}],'lbMethod':'least_conn','keepalive':16,"
                + "'healthCheck':{'path':'/health?deep=1','intervalSeconds':5,'timeoutSeconds':2,'fall':3,'rise':2}},"
                + "'timeouts':{'connectSeconds':3,'readSeconds':30,'sendSeconds':20},'maxBodySize':'20m',"
                + "'requestHeaders':{'X-Env':'prod'},'responseHeaders':{'X-Frame-Options':'DENY'},'websockets':true,"
                + "'containers':{'image':'registry.local:5000/shop/web:1.2','command':'httpd -f -p 127.0.0.1:${PORT}',"
                + "'env':{'MODE':'prod'},'port':8080,'replicas':2,'cpus':0.5,'memory':'256m','restartPolicy':'on-failure',"
                + "'network':'bridge'}}");
    }

    static JsonNode array() {
        return Json.MAPPER.createArrayNode();
    }

    static JsonNode at(JsonNode root, String pointer) {
        return root.at(pointer);
    }
}
