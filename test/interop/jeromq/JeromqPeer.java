// A JeroMQ 0.3.6 peer (ZMTP 2.0) driven by lines on stdin, one answer line per command on stdout, so
// that one JVM serves every scenario of test/interop/jeromq.test.ts (a JVM start costs about a
// second). Launched as a single-file source program: java -cp jeromq.jar JeromqPeer.java.
//
// Commands (frames are hex, comma-separated; "-" is a message of one empty frame):
//   socket ID TYPE [IDENTITY-HEX]   a socket of TYPE (PUSH, PULL, REQ, ...), routing id optional
//   bind ID HOST                    bind to a free port on HOST; answers "ok PORT"
//   connect ID ENDPOINT
//   subscribe ID HEX                a SUB's subscription (an empty HEX is everything)
//   send ID FRAMES
//   recv ID TIMEOUT-MS              answers "msg FRAMES" or "timeout"
//   close ID
//   quit
// Every other answer is "ok" or "error TEXT".

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.zeromq.ZMQ;

public class JeromqPeer {
  public static void main(String[] args) throws Exception {
    ZMQ.Context context = ZMQ.context(1);
    Map<String, ZMQ.Socket> sockets = new HashMap<>();
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
    System.out.println("ready");
    System.out.flush();
    String line;
    while ((line = in.readLine()) != null) {
      String[] words = line.trim().split(" ", -1);
      String answer;
      try {
        answer = run(context, sockets, words);
      } catch (Exception error) {
        answer = "error " + error;
      }
      if (answer == null) break;
      System.out.println(answer);
      System.out.flush();
    }
    for (ZMQ.Socket socket : sockets.values()) socket.close();
    context.term();
  }

  static String run(ZMQ.Context context, Map<String, ZMQ.Socket> sockets, String[] words) {
    String verb = words[0];
    if (verb.equals("quit")) return null;
    ZMQ.Socket socket = sockets.get(words[1]);
    switch (verb) {
      case "socket": {
        ZMQ.Socket created = context.socket(typeOf(words[2]));
        created.setLinger(0);
        if (words.length > 3 && !words[3].isEmpty()) created.setIdentity(unhex(words[3]));
        sockets.put(words[1], created);
        return "ok";
      }
      case "bind":
        return "ok " + socket.bindToRandomPort("tcp://" + words[2]);
      case "connect":
        socket.connect(words[2]);
        return "ok";
      case "subscribe":
        socket.subscribe(unhex(words.length > 2 ? words[2] : ""));
        return "ok";
      case "send": {
        String[] frames = words[2].equals("-") ? new String[] {""} : words[2].split(",", -1);
        for (int i = 0; i < frames.length; i++) socket.send(unhex(frames[i]), i < frames.length - 1 ? ZMQ.SNDMORE : 0);
        return "ok";
      }
      case "recv": {
        socket.setReceiveTimeOut(Integer.parseInt(words[2]));
        byte[] frame = socket.recv(0);
        if (frame == null) return "timeout";
        List<String> frames = new ArrayList<>();
        frames.add(hex(frame));
        while (socket.hasReceiveMore()) frames.add(hex(socket.recv(0)));
        return "msg " + String.join(",", frames);
      }
      case "close":
        socket.close();
        sockets.remove(words[1]);
        return "ok";
      default:
        return "error unknown command " + verb;
    }
  }

  static int typeOf(String name) {
    switch (name) {
      case "PAIR": return ZMQ.PAIR;
      case "PUB": return ZMQ.PUB;
      case "SUB": return ZMQ.SUB;
      case "REQ": return ZMQ.REQ;
      case "REP": return ZMQ.REP;
      case "DEALER": return ZMQ.DEALER;
      case "ROUTER": return ZMQ.ROUTER;
      case "PULL": return ZMQ.PULL;
      case "PUSH": return ZMQ.PUSH;
      case "XPUB": return ZMQ.XPUB;
      case "XSUB": return ZMQ.XSUB;
      default: throw new IllegalArgumentException("unknown socket type " + name);
    }
  }

  static String hex(byte[] bytes) {
    StringBuilder out = new StringBuilder();
    for (byte b : bytes) out.append(String.format("%02x", b & 0xff));
    return out.toString();
  }

  static byte[] unhex(String text) {
    byte[] out = new byte[text.length() / 2];
    for (int i = 0; i < out.length; i++) out[i] = (byte) Integer.parseInt(text.substring(2 * i, 2 * i + 2), 16);
    return out;
  }
}
