//! Consumer groups against bytes read off redis-server 7.0.15.

use crate::commands::testkit::Session;

#[test]
fn groups_reads_pending_and_lag() {
    let mut s = Session::new();
    s.check("xadd s 1-1 a 1", b"$3\r\n1-1\r\n");
    s.check("xadd s 2-1 b 2", b"$3\r\n2-1\r\n");
    s.check("xadd s 3-1 c 3", b"$3\r\n3-1\r\n");
    s.check("xadd s 4-1 d 4", b"$3\r\n4-1\r\n");
    s.check("xgroup create s g1 0", b"+OK\r\n");
    s.check(
        "xgroup create s g1 0",
        b"-BUSYGROUP Consumer Group name already exists\r\n",
    );
    s.check("xgroup create s g2 $", b"+OK\r\n");
    s.check(
        "xgroup create s g3 -",
        b"-ERR Invalid stream ID specified as stream command argument\r\n",
    );
    s.check(
        "xgroup create s g4 +",
        b"-ERR Invalid stream ID specified as stream command argument\r\n",
    );
    s.check(
        "xgroup create s g5 bad",
        b"-ERR Invalid stream ID specified as stream command argument\r\n",
    );
    s.check("xgroup create nokey g 0", b"-ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to use the MKSTREAM option to create an empty stream automatically.\r\n");
    s.check("xgroup create nokey g $ mkstream", b"+OK\r\n");
    s.check(
        "xgroup create nokey2 g 0 entriesread -5 mkstream",
        b"-ERR value for ENTRIESREAD must be positive or -1\r\n",
    );
    s.check("xgroup create s g6 0 entriesread 2", b"+OK\r\n");
    s.check(
        "xgroup create s g7 0 foo",
        b"-ERR unknown subcommand or wrong number of arguments for 'create'. Try XGROUP HELP.\r\n",
    );
    s.check(
        "xgroup create s g7 0 mkstream mkstream mkstream mkstream",
        b"-ERR unknown subcommand or wrong number of arguments for 'create'. Try XGROUP HELP.\r\n",
    );
    s.check(
        "xgroup create s g7",
        b"-ERR wrong number of arguments for 'xgroup|create' command\r\n",
    );
    s.check("xgroup setid s g1 2-1", b"+OK\r\n");
    s.check(
        "xgroup setid s nog 2-1",
        b"-NOGROUP No such consumer group 'nog' for key name 's'\r\n",
    );
    s.check("xgroup setid nokey g 2-1", b"+OK\r\n");
    s.check("xgroup setid s g1 $ entriesread 3", b"+OK\r\n");
    s.check(
        "xgroup setid s g1 0 mkstream",
        b"-ERR unknown subcommand or wrong number of arguments for 'setid'. Try XGROUP HELP.\r\n",
    );
    s.check(
        "xgroup setid s g1 0 entriesread 3 x",
        b"-ERR unknown subcommand or wrong number of arguments for 'setid'. Try XGROUP HELP.\r\n",
    );
    s.check("xgroup createconsumer s g1 alice", b":1\r\n");
    s.check("xgroup createconsumer s g1 alice", b":0\r\n");
    s.check(
        "xgroup createconsumer s nog alice",
        b"-NOGROUP No such consumer group 'nog' for key name 's'\r\n",
    );
    s.check("xgroup delconsumer s g1 bob", b":0\r\n");
    s.check(
        "xgroup foo s g1",
        b"-ERR unknown subcommand 'foo'. Try XGROUP HELP.\r\n",
    );
    s.check("xgroup destroy s g7", b":0\r\n");
    s.check("xgroup destroy s g7", b":0\r\n");
    s.check("xgroup destroy nokey g", b":1\r\n");
    s.check("xinfo groups s", b"*3\r\n*12\r\n$4\r\nname\r\n$2\r\ng1\r\n$9\r\nconsumers\r\n:1\r\n$7\r\npending\r\n:0\r\n$17\r\nlast-delivered-id\r\n$3\r\n4-1\r\n$12\r\nentries-read\r\n:3\r\n$3\r\nlag\r\n:1\r\n*12\r\n$4\r\nname\r\n$2\r\ng2\r\n$9\r\nconsumers\r\n:0\r\n$7\r\npending\r\n:0\r\n$17\r\nlast-delivered-id\r\n$3\r\n4-1\r\n$12\r\nentries-read\r\n$-1\r\n$3\r\nlag\r\n:0\r\n*12\r\n$4\r\nname\r\n$2\r\ng6\r\n$9\r\nconsumers\r\n:0\r\n$7\r\npending\r\n:0\r\n$17\r\nlast-delivered-id\r\n$3\r\n0-0\r\n$12\r\nentries-read\r\n:2\r\n$3\r\nlag\r\n:2\r\n");
    s.check("xreadgroup group g1 alice streams s >", b"*-1\r\n");
    s.check("xgroup setid s g1 0", b"+OK\r\n");
    s.check("xreadgroup group g1 alice count 2 streams s >", b"*1\r\n*2\r\n$1\r\ns\r\n*2\r\n*2\r\n$3\r\n1-1\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$3\r\n2-1\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n");
    s.check("xreadgroup group g1 bob streams s >", b"*1\r\n*2\r\n$1\r\ns\r\n*2\r\n*2\r\n$3\r\n3-1\r\n*2\r\n$1\r\nc\r\n$1\r\n3\r\n*2\r\n$3\r\n4-1\r\n*2\r\n$1\r\nd\r\n$1\r\n4\r\n");
    s.check("xreadgroup group g1 bob streams s >", b"*-1\r\n");
    s.check("xreadgroup group g1 alice streams s 0", b"*1\r\n*2\r\n$1\r\ns\r\n*2\r\n*2\r\n$3\r\n1-1\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$3\r\n2-1\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n");
    s.check(
        "xreadgroup group g1 alice count 1 streams s 0",
        b"*1\r\n*2\r\n$1\r\ns\r\n*1\r\n*2\r\n$3\r\n1-1\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n",
    );
    s.check(
        "xreadgroup group g1 alice streams s 1-1",
        b"*1\r\n*2\r\n$1\r\ns\r\n*1\r\n*2\r\n$3\r\n2-1\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n",
    );
    s.check("xreadgroup group g1 alice streams s $", b"-ERR The $ ID is meaningless in the context of XREADGROUP: you want to read the history of this consumer by specifying a proper ID, or use the > ID to get new messages. The $ ID would just return an empty result set.\r\n");
    s.check(
        "xreadgroup group nog alice streams s >",
        b"-NOGROUP No such key 's' or consumer group 'nog' in XREADGROUP with GROUP option\r\n",
    );
    s.check(
        "xreadgroup group g1 alice streams nokey >",
        b"-NOGROUP No such key 'nokey' or consumer group 'g1' in XREADGROUP with GROUP option\r\n",
    );
    s.check(
        "xreadgroup group g1 alice streams s",
        b"-ERR wrong number of arguments for 'xreadgroup' command\r\n",
    );
    s.check(
        "xreadgroup streams s >",
        b"-ERR wrong number of arguments for 'xreadgroup' command\r\n",
    );
    s.check(
        "xread group g1 a streams s 0",
        b"-ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead.\r\n",
    );
    s.check(
        "xread noack streams s 0",
        b"-ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead.\r\n",
    );
    s.check("xread streams s 0", b"*1\r\n*2\r\n$1\r\ns\r\n*4\r\n*2\r\n$3\r\n1-1\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$3\r\n2-1\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n*2\r\n$3\r\n3-1\r\n*2\r\n$1\r\nc\r\n$1\r\n3\r\n*2\r\n$3\r\n4-1\r\n*2\r\n$1\r\nd\r\n$1\r\n4\r\n");
    s.check(
        "xread count 1 streams s 0",
        b"*1\r\n*2\r\n$1\r\ns\r\n*1\r\n*2\r\n$3\r\n1-1\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n",
    );
    s.check(
        "xread count 1 streams s nokey 0 0",
        b"*1\r\n*2\r\n$1\r\ns\r\n*1\r\n*2\r\n$3\r\n1-1\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n",
    );
    s.check("xread streams s $", b"*-1\r\n");
    s.check("xread streams s >", b"-ERR The > ID can be specified only when calling XREADGROUP using the GROUP <group> <consumer> option.\r\n");
    s.check(
        "xread streams s bad",
        b"-ERR Invalid stream ID specified as stream command argument\r\n",
    );
    s.check(
        "xread streams s +",
        b"-ERR Invalid stream ID specified as stream command argument\r\n",
    );
    s.check(
        "xread streams s -",
        b"-ERR Invalid stream ID specified as stream command argument\r\n",
    );
    s.check("xread count -5 streams s 0", b"*1\r\n*2\r\n$1\r\ns\r\n*4\r\n*2\r\n$3\r\n1-1\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$3\r\n2-1\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n*2\r\n$3\r\n3-1\r\n*2\r\n$1\r\nc\r\n$1\r\n3\r\n*2\r\n$3\r\n4-1\r\n*2\r\n$1\r\nd\r\n$1\r\n4\r\n");
    s.check(
        "xread block -1 streams s 0",
        b"-ERR timeout is negative\r\n",
    );
    s.check(
        "xread block abc streams s 0",
        b"-ERR timeout is not an integer or out of range\r\n",
    );
    s.check(
        "xread block 1.5 streams s 0",
        b"-ERR timeout is not an integer or out of range\r\n",
    );
    s.check("xread foo streams s 0", b"-ERR syntax error\r\n");
    s.check(
        "xread streams",
        b"-ERR wrong number of arguments for 'xread' command\r\n",
    );
    s.check("xpending s g1", b"*4\r\n:4\r\n$3\r\n1-1\r\n$3\r\n4-1\r\n*2\r\n*2\r\n$5\r\nalice\r\n$1\r\n2\r\n*2\r\n$3\r\nbob\r\n$1\r\n2\r\n");
    s.check("xpending s g2", b"*4\r\n:0\r\n$-1\r\n$-1\r\n*-1\r\n");
    s.check(
        "xpending s nog",
        b"-NOGROUP No such key 's' or consumer group 'nog'\r\n",
    );
    s.check(
        "xpending nokey g",
        b"-NOGROUP No such key 'nokey' or consumer group 'g'\r\n",
    );
    s.check("xdel s 2-1", b":1\r\n");
    s.check("xreadgroup group g1 alice streams s 0", b"*1\r\n*2\r\n$1\r\ns\r\n*2\r\n*2\r\n$3\r\n1-1\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$3\r\n2-1\r\n*-1\r\n");
    s.check("xack s g1 1-1 2-1 9-9", b":2\r\n");
    s.check(
        "xack s g1 bad",
        b"-ERR Invalid stream ID specified as stream command argument\r\n",
    );
    s.check("xack s nog bad", b":0\r\n");
    s.check("xack nokey g 1-1", b":0\r\n");
    s.check(
        "xpending s g1",
        b"*4\r\n:2\r\n$3\r\n3-1\r\n$3\r\n4-1\r\n*1\r\n*2\r\n$3\r\nbob\r\n$1\r\n2\r\n",
    );
    s.check("xgroup delconsumer s g1 bob", b":2\r\n");
    s.check("xpending s g1", b"*4\r\n:0\r\n$-1\r\n$-1\r\n*-1\r\n");
    s.check(
        "xinfo consumers s nog",
        b"-NOGROUP No such consumer group 'nog' for key name 's'\r\n",
    );
    s.check(
        "xinfo consumers nokey g",
        b"-NOGROUP No such consumer group 'g' for key name 'nokey'\r\n",
    );
    s.check("xinfo stream nokey", b"*20\r\n$6\r\nlength\r\n:0\r\n$15\r\nradix-tree-keys\r\n:0\r\n$16\r\nradix-tree-nodes\r\n:1\r\n$17\r\nlast-generated-id\r\n$3\r\n0-0\r\n$20\r\nmax-deleted-entry-id\r\n$3\r\n0-0\r\n$13\r\nentries-added\r\n:0\r\n$23\r\nrecorded-first-entry-id\r\n$3\r\n0-0\r\n$6\r\ngroups\r\n:0\r\n$11\r\nfirst-entry\r\n$-1\r\n$10\r\nlast-entry\r\n$-1\r\n");
    s.check(
        "xinfo stream s foo",
        b"-ERR unknown subcommand or wrong number of arguments for 'stream'. Try XINFO HELP.\r\n",
    );
    s.check(
        "xinfo stream s full count",
        b"-ERR unknown subcommand or wrong number of arguments for 'stream'. Try XINFO HELP.\r\n",
    );
    s.check(
        "xinfo stream s full count x",
        b"-ERR value is not an integer or out of range\r\n",
    );
    s.check(
        "xinfo stream s full count 1 x",
        b"-ERR unknown subcommand or wrong number of arguments for 'stream'. Try XINFO HELP.\r\n",
    );
    s.check(
        "xinfo foo s",
        b"-ERR unknown subcommand 'foo'. Try XINFO HELP.\r\n",
    );
    s.check("xinfo help", b"*9\r\n+XINFO <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n+CONSUMERS <key> <groupname>\r\n+    Show consumers of <groupname>.\r\n+GROUPS <key>\r\n+    Show the stream consumer groups.\r\n+STREAM <key> [FULL [COUNT <count>]\r\n+    Show information about the stream.\r\n+HELP\r\n+    Prints this help.\r\n");
    s.check("xgroup help", b"*17\r\n+XGROUP <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n+CREATE <key> <groupname> <id|$> [option]\r\n+    Create a new consumer group. Options are:\r\n+    * MKSTREAM\r\n+      Create the empty stream if it does not exist.\r\n+    * ENTRIESREAD entries_read\r\n+      Set the group's entries_read counter (internal use).\r\n+CREATECONSUMER <key> <groupname> <consumer>\r\n+    Create a new consumer in the specified group.\r\n+DELCONSUMER <key> <groupname> <consumer>\r\n+    Remove the specified consumer.\r\n+DESTROY <key> <groupname>\r\n+    Remove the specified group.\r\n+SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]\r\n+    Set the current group ID and entries_read counter.\r\n+HELP\r\n+    Prints this help.\r\n");
    s.check("xinfo groups s", b"*3\r\n*12\r\n$4\r\nname\r\n$2\r\ng1\r\n$9\r\nconsumers\r\n:1\r\n$7\r\npending\r\n:0\r\n$17\r\nlast-delivered-id\r\n$3\r\n4-1\r\n$12\r\nentries-read\r\n:4\r\n$3\r\nlag\r\n:0\r\n*12\r\n$4\r\nname\r\n$2\r\ng2\r\n$9\r\nconsumers\r\n:0\r\n$7\r\npending\r\n:0\r\n$17\r\nlast-delivered-id\r\n$3\r\n4-1\r\n$12\r\nentries-read\r\n$-1\r\n$3\r\nlag\r\n:0\r\n*12\r\n$4\r\nname\r\n$2\r\ng6\r\n$9\r\nconsumers\r\n:0\r\n$7\r\npending\r\n:0\r\n$17\r\nlast-delivered-id\r\n$3\r\n0-0\r\n$12\r\nentries-read\r\n:2\r\n$3\r\nlag\r\n$-1\r\n");
    s.check("xadd s 5-1 e 5", b"$3\r\n5-1\r\n");
    s.check("xinfo groups s", b"*3\r\n*12\r\n$4\r\nname\r\n$2\r\ng1\r\n$9\r\nconsumers\r\n:1\r\n$7\r\npending\r\n:0\r\n$17\r\nlast-delivered-id\r\n$3\r\n4-1\r\n$12\r\nentries-read\r\n:4\r\n$3\r\nlag\r\n:1\r\n*12\r\n$4\r\nname\r\n$2\r\ng2\r\n$9\r\nconsumers\r\n:0\r\n$7\r\npending\r\n:0\r\n$17\r\nlast-delivered-id\r\n$3\r\n4-1\r\n$12\r\nentries-read\r\n$-1\r\n$3\r\nlag\r\n$-1\r\n*12\r\n$4\r\nname\r\n$2\r\ng6\r\n$9\r\nconsumers\r\n:0\r\n$7\r\npending\r\n:0\r\n$17\r\nlast-delivered-id\r\n$3\r\n0-0\r\n$12\r\nentries-read\r\n:2\r\n$3\r\nlag\r\n$-1\r\n");
    s.check("xadd lagt 1-1 a 1", b"$3\r\n1-1\r\n");
    s.check("xadd lagt 2-1 a 1", b"$3\r\n2-1\r\n");
    s.check("xadd lagt 3-1 a 1", b"$3\r\n3-1\r\n");
    s.check("xgroup create lagt g 0", b"+OK\r\n");
    s.check("xgroup create lagt h $", b"+OK\r\n");
    s.check("xgroup create lagt k 1-1", b"+OK\r\n");
    s.check("xgroup create lagt m 2-1 entriesread 7", b"+OK\r\n");
    s.check("xinfo groups lagt", b"*4\r\n*12\r\n$4\r\nname\r\n$1\r\ng\r\n$9\r\nconsumers\r\n:0\r\n$7\r\npending\r\n:0\r\n$17\r\nlast-delivered-id\r\n$3\r\n0-0\r\n$12\r\nentries-read\r\n$-1\r\n$3\r\nlag\r\n:3\r\n*12\r\n$4\r\nname\r\n$1\r\nh\r\n$9\r\nconsumers\r\n:0\r\n$7\r\npending\r\n:0\r\n$17\r\nlast-delivered-id\r\n$3\r\n3-1\r\n$12\r\nentries-read\r\n$-1\r\n$3\r\nlag\r\n:0\r\n*12\r\n$4\r\nname\r\n$1\r\nk\r\n$9\r\nconsumers\r\n:0\r\n$7\r\npending\r\n:0\r\n$17\r\nlast-delivered-id\r\n$3\r\n1-1\r\n$12\r\nentries-read\r\n$-1\r\n$3\r\nlag\r\n:2\r\n*12\r\n$4\r\nname\r\n$1\r\nm\r\n$9\r\nconsumers\r\n:0\r\n$7\r\npending\r\n:0\r\n$17\r\nlast-delivered-id\r\n$3\r\n2-1\r\n$12\r\nentries-read\r\n:7\r\n$3\r\nlag\r\n:-4\r\n");
    s.check("xdel lagt 2-1", b":1\r\n");
    s.check("xinfo groups lagt", b"*4\r\n*12\r\n$4\r\nname\r\n$1\r\ng\r\n$9\r\nconsumers\r\n:0\r\n$7\r\npending\r\n:0\r\n$17\r\nlast-delivered-id\r\n$3\r\n0-0\r\n$12\r\nentries-read\r\n$-1\r\n$3\r\nlag\r\n$-1\r\n*12\r\n$4\r\nname\r\n$1\r\nh\r\n$9\r\nconsumers\r\n:0\r\n$7\r\npending\r\n:0\r\n$17\r\nlast-delivered-id\r\n$3\r\n3-1\r\n$12\r\nentries-read\r\n$-1\r\n$3\r\nlag\r\n:0\r\n*12\r\n$4\r\nname\r\n$1\r\nk\r\n$9\r\nconsumers\r\n:0\r\n$7\r\npending\r\n:0\r\n$17\r\nlast-delivered-id\r\n$3\r\n1-1\r\n$12\r\nentries-read\r\n$-1\r\n$3\r\nlag\r\n$-1\r\n*12\r\n$4\r\nname\r\n$1\r\nm\r\n$9\r\nconsumers\r\n:0\r\n$7\r\npending\r\n:0\r\n$17\r\nlast-delivered-id\r\n$3\r\n2-1\r\n$12\r\nentries-read\r\n:7\r\n$3\r\nlag\r\n$-1\r\n");
    s.check(
        "xreadgroup group g c count 1 streams lagt >",
        b"*1\r\n*2\r\n$4\r\nlagt\r\n*1\r\n*2\r\n$3\r\n1-1\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n",
    );
    s.check("xinfo groups lagt", b"*4\r\n*12\r\n$4\r\nname\r\n$1\r\ng\r\n$9\r\nconsumers\r\n:1\r\n$7\r\npending\r\n:1\r\n$17\r\nlast-delivered-id\r\n$3\r\n1-1\r\n$12\r\nentries-read\r\n$-1\r\n$3\r\nlag\r\n$-1\r\n*12\r\n$4\r\nname\r\n$1\r\nh\r\n$9\r\nconsumers\r\n:0\r\n$7\r\npending\r\n:0\r\n$17\r\nlast-delivered-id\r\n$3\r\n3-1\r\n$12\r\nentries-read\r\n$-1\r\n$3\r\nlag\r\n:0\r\n*12\r\n$4\r\nname\r\n$1\r\nk\r\n$9\r\nconsumers\r\n:0\r\n$7\r\npending\r\n:0\r\n$17\r\nlast-delivered-id\r\n$3\r\n1-1\r\n$12\r\nentries-read\r\n$-1\r\n$3\r\nlag\r\n$-1\r\n*12\r\n$4\r\nname\r\n$1\r\nm\r\n$9\r\nconsumers\r\n:0\r\n$7\r\npending\r\n:0\r\n$17\r\nlast-delivered-id\r\n$3\r\n2-1\r\n$12\r\nentries-read\r\n:7\r\n$3\r\nlag\r\n$-1\r\n");
    s.check(
        "xreadgroup group g c streams lagt >",
        b"*1\r\n*2\r\n$4\r\nlagt\r\n*1\r\n*2\r\n$3\r\n3-1\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n",
    );
    s.check("xinfo groups lagt", b"*4\r\n*12\r\n$4\r\nname\r\n$1\r\ng\r\n$9\r\nconsumers\r\n:1\r\n$7\r\npending\r\n:2\r\n$17\r\nlast-delivered-id\r\n$3\r\n3-1\r\n$12\r\nentries-read\r\n:3\r\n$3\r\nlag\r\n:0\r\n*12\r\n$4\r\nname\r\n$1\r\nh\r\n$9\r\nconsumers\r\n:0\r\n$7\r\npending\r\n:0\r\n$17\r\nlast-delivered-id\r\n$3\r\n3-1\r\n$12\r\nentries-read\r\n$-1\r\n$3\r\nlag\r\n:0\r\n*12\r\n$4\r\nname\r\n$1\r\nk\r\n$9\r\nconsumers\r\n:0\r\n$7\r\npending\r\n:0\r\n$17\r\nlast-delivered-id\r\n$3\r\n1-1\r\n$12\r\nentries-read\r\n$-1\r\n$3\r\nlag\r\n$-1\r\n*12\r\n$4\r\nname\r\n$1\r\nm\r\n$9\r\nconsumers\r\n:0\r\n$7\r\npending\r\n:0\r\n$17\r\nlast-delivered-id\r\n$3\r\n2-1\r\n$12\r\nentries-read\r\n:7\r\n$3\r\nlag\r\n$-1\r\n");
    s.check("xdel lagt 1-1", b":1\r\n");
    s.check("xinfo groups lagt", b"*4\r\n*12\r\n$4\r\nname\r\n$1\r\ng\r\n$9\r\nconsumers\r\n:1\r\n$7\r\npending\r\n:2\r\n$17\r\nlast-delivered-id\r\n$3\r\n3-1\r\n$12\r\nentries-read\r\n:3\r\n$3\r\nlag\r\n:0\r\n*12\r\n$4\r\nname\r\n$1\r\nh\r\n$9\r\nconsumers\r\n:0\r\n$7\r\npending\r\n:0\r\n$17\r\nlast-delivered-id\r\n$3\r\n3-1\r\n$12\r\nentries-read\r\n$-1\r\n$3\r\nlag\r\n:0\r\n*12\r\n$4\r\nname\r\n$1\r\nk\r\n$9\r\nconsumers\r\n:0\r\n$7\r\npending\r\n:0\r\n$17\r\nlast-delivered-id\r\n$3\r\n1-1\r\n$12\r\nentries-read\r\n$-1\r\n$3\r\nlag\r\n:1\r\n*12\r\n$4\r\nname\r\n$1\r\nm\r\n$9\r\nconsumers\r\n:0\r\n$7\r\npending\r\n:0\r\n$17\r\nlast-delivered-id\r\n$3\r\n2-1\r\n$12\r\nentries-read\r\n:7\r\n$3\r\nlag\r\n:-4\r\n");
    s.check("xtrim lagt maxlen 0", b":1\r\n");
    s.check("xinfo groups lagt", b"*4\r\n*12\r\n$4\r\nname\r\n$1\r\ng\r\n$9\r\nconsumers\r\n:1\r\n$7\r\npending\r\n:2\r\n$17\r\nlast-delivered-id\r\n$3\r\n3-1\r\n$12\r\nentries-read\r\n:3\r\n$3\r\nlag\r\n:0\r\n*12\r\n$4\r\nname\r\n$1\r\nh\r\n$9\r\nconsumers\r\n:0\r\n$7\r\npending\r\n:0\r\n$17\r\nlast-delivered-id\r\n$3\r\n3-1\r\n$12\r\nentries-read\r\n$-1\r\n$3\r\nlag\r\n:0\r\n*12\r\n$4\r\nname\r\n$1\r\nk\r\n$9\r\nconsumers\r\n:0\r\n$7\r\npending\r\n:0\r\n$17\r\nlast-delivered-id\r\n$3\r\n1-1\r\n$12\r\nentries-read\r\n$-1\r\n$3\r\nlag\r\n:0\r\n*12\r\n$4\r\nname\r\n$1\r\nm\r\n$9\r\nconsumers\r\n:0\r\n$7\r\npending\r\n:0\r\n$17\r\nlast-delivered-id\r\n$3\r\n2-1\r\n$12\r\nentries-read\r\n:7\r\n$3\r\nlag\r\n:-4\r\n");
    s.check("xadd lagt 9-1 a 1", b"$3\r\n9-1\r\n");
    s.check("xinfo groups lagt", b"*4\r\n*12\r\n$4\r\nname\r\n$1\r\ng\r\n$9\r\nconsumers\r\n:1\r\n$7\r\npending\r\n:2\r\n$17\r\nlast-delivered-id\r\n$3\r\n3-1\r\n$12\r\nentries-read\r\n:3\r\n$3\r\nlag\r\n:1\r\n*12\r\n$4\r\nname\r\n$1\r\nh\r\n$9\r\nconsumers\r\n:0\r\n$7\r\npending\r\n:0\r\n$17\r\nlast-delivered-id\r\n$3\r\n3-1\r\n$12\r\nentries-read\r\n$-1\r\n$3\r\nlag\r\n:1\r\n*12\r\n$4\r\nname\r\n$1\r\nk\r\n$9\r\nconsumers\r\n:0\r\n$7\r\npending\r\n:0\r\n$17\r\nlast-delivered-id\r\n$3\r\n1-1\r\n$12\r\nentries-read\r\n$-1\r\n$3\r\nlag\r\n:1\r\n*12\r\n$4\r\nname\r\n$1\r\nm\r\n$9\r\nconsumers\r\n:0\r\n$7\r\npending\r\n:0\r\n$17\r\nlast-delivered-id\r\n$3\r\n2-1\r\n$12\r\nentries-read\r\n:7\r\n$3\r\nlag\r\n:-3\r\n");
}

#[test]
fn claim_and_autoclaim() {
    let mut s = Session::new();
    s.check("xadd s 1-1 a 1", b"$3\r\n1-1\r\n");
    s.check("xadd s 2-1 b 2", b"$3\r\n2-1\r\n");
    s.check("xadd s 3-1 c 3", b"$3\r\n3-1\r\n");
    s.check("xadd s 4-1 d 4", b"$3\r\n4-1\r\n");
    s.check("xgroup create s g 0", b"+OK\r\n");
    s.check("xgroup setid s g -", b"+OK\r\n");
    s.check("xgroup setid s g +", b"+OK\r\n");
    s.check("xgroup setid s g 0", b"+OK\r\n");
    s.check("xreadgroup group g alice streams s >", b"*1\r\n*2\r\n$1\r\ns\r\n*4\r\n*2\r\n$3\r\n1-1\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$3\r\n2-1\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n*2\r\n$3\r\n3-1\r\n*2\r\n$1\r\nc\r\n$1\r\n3\r\n*2\r\n$3\r\n4-1\r\n*2\r\n$1\r\nd\r\n$1\r\n4\r\n");
    s.check(
        "xclaim s g bob 0 1-1 2-1 justid",
        b"*2\r\n$3\r\n1-1\r\n$3\r\n2-1\r\n",
    );
    s.check(
        "xclaim s g bob 0 3-1",
        b"*1\r\n*2\r\n$3\r\n3-1\r\n*2\r\n$1\r\nc\r\n$1\r\n3\r\n",
    );
    s.check("xclaim s g bob 1000000 4-1", b"*0\r\n");
    s.check("xclaim s g bob 0 9-9 force", b"*0\r\n");
    s.check(
        "xclaim s g bob 0 1-1 retrycount 7 idle 5000",
        b"*1\r\n*2\r\n$3\r\n1-1\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n",
    );
    s.check(
        "xclaim s g bob 0 1-1 time 1",
        b"*1\r\n*2\r\n$3\r\n1-1\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n",
    );
    s.check(
        "xclaim s g bob 0 1-1 foo",
        b"-ERR Unrecognized XCLAIM option 'foo'\r\n",
    );
    s.check(
        "xclaim s g bob 0 1-1 idle x",
        b"-ERR Invalid IDLE option argument for XCLAIM\r\n",
    );
    s.check(
        "xclaim s g bob 0 1-1 time x",
        b"-ERR Invalid TIME option argument for XCLAIM\r\n",
    );
    s.check(
        "xclaim s g bob 0 1-1 retrycount x",
        b"-ERR Invalid RETRYCOUNT option argument for XCLAIM\r\n",
    );
    s.check(
        "xclaim s g bob x 1-1",
        b"-ERR Invalid min-idle-time argument for XCLAIM\r\n",
    );
    s.check(
        "xclaim s nog bob 0 1-1",
        b"-NOGROUP No such key 's' or consumer group 'nog'\r\n",
    );
    s.check(
        "xclaim nokey g bob 0 1-1",
        b"-NOGROUP No such key 'nokey' or consumer group 'g'\r\n",
    );
    s.check(
        "xclaim s g bob 0 bad",
        b"-ERR Unrecognized XCLAIM option 'bad'\r\n",
    );
    s.check(
        "xclaim s g bob 0 1-1 lastid 10-0 justid",
        b"*1\r\n$3\r\n1-1\r\n",
    );
    s.check("xinfo groups s", b"*1\r\n*12\r\n$4\r\nname\r\n$1\r\ng\r\n$9\r\nconsumers\r\n:2\r\n$7\r\npending\r\n:4\r\n$17\r\nlast-delivered-id\r\n$4\r\n10-0\r\n$12\r\nentries-read\r\n:4\r\n$3\r\nlag\r\n:0\r\n");
    s.check("xdel s 2-1", b":1\r\n");
    s.check(
        "xclaim s g carol 0 2-1 3-1",
        b"*1\r\n*2\r\n$3\r\n3-1\r\n*2\r\n$1\r\nc\r\n$1\r\n3\r\n",
    );
    s.check("xpending s g", b"*4\r\n:3\r\n$3\r\n1-1\r\n$3\r\n4-1\r\n*3\r\n*2\r\n$5\r\nalice\r\n$1\r\n1\r\n*2\r\n$3\r\nbob\r\n$1\r\n1\r\n*2\r\n$5\r\ncarol\r\n$1\r\n1\r\n");
    s.check("xgroup create s h 0", b"+OK\r\n");
    s.check("xreadgroup group h x streams s >", b"*1\r\n*2\r\n$1\r\ns\r\n*3\r\n*2\r\n$3\r\n1-1\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$3\r\n3-1\r\n*2\r\n$1\r\nc\r\n$1\r\n3\r\n*2\r\n$3\r\n4-1\r\n*2\r\n$1\r\nd\r\n$1\r\n4\r\n");
    s.check("xdel s 3-1", b":1\r\n");
    s.check("xautoclaim s h y 0 0", b"*3\r\n$3\r\n0-0\r\n*2\r\n*2\r\n$3\r\n1-1\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$3\r\n4-1\r\n*2\r\n$1\r\nd\r\n$1\r\n4\r\n*1\r\n$3\r\n3-1\r\n");
    s.check(
        "xautoclaim s h y 0 0 count 1",
        b"*3\r\n$3\r\n4-1\r\n*1\r\n*2\r\n$3\r\n1-1\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n*0\r\n",
    );
    s.check(
        "xautoclaim s h y 0 0 count 0",
        b"-ERR COUNT must be > 0\r\n",
    );
    s.check(
        "xautoclaim s h y 0 0 count x",
        b"-ERR COUNT must be > 0\r\n",
    );
    s.check(
        "xautoclaim s h y 0 0 justid count 10",
        b"*3\r\n$3\r\n0-0\r\n*2\r\n$3\r\n1-1\r\n$3\r\n4-1\r\n*0\r\n",
    );
    s.check(
        "xautoclaim s h y 0 (1-1 justid",
        b"*3\r\n$3\r\n0-0\r\n*1\r\n$3\r\n4-1\r\n*0\r\n",
    );
    s.check(
        "xautoclaim s h y 0 - justid",
        b"*3\r\n$3\r\n0-0\r\n*2\r\n$3\r\n1-1\r\n$3\r\n4-1\r\n*0\r\n",
    );
    s.check(
        "xautoclaim s h y 0 + justid",
        b"*3\r\n$3\r\n0-0\r\n*0\r\n*0\r\n",
    );
    s.check(
        "xautoclaim s h y x 0",
        b"-ERR Invalid min-idle-time argument for XAUTOCLAIM\r\n",
    );
    s.check(
        "xautoclaim s h y 0 bad",
        b"-ERR Invalid stream ID specified as stream command argument\r\n",
    );
    s.check("xautoclaim s h y 0 0 foo", b"-ERR syntax error\r\n");
    s.check(
        "xautoclaim s nog y 0 0",
        b"-NOGROUP No such key 's' or consumer group 'nog'\r\n",
    );
    s.check(
        "xautoclaim nokey h y 0 0",
        b"-NOGROUP No such key 'nokey' or consumer group 'h'\r\n",
    );
    s.check(
        "xautoclaim s h y 100000 0",
        b"*3\r\n$3\r\n0-0\r\n*0\r\n*0\r\n",
    );
    s.check("xgroup delconsumer s h y", b":2\r\n");
    s.check("xpending s h", b"*4\r\n:0\r\n$-1\r\n$-1\r\n*-1\r\n");
    s.check("xadd t 1-1 a 1", b"$3\r\n1-1\r\n");
    s.check("xgroup create t g 0", b"+OK\r\n");
    s.check(
        "xreadgroup group g c streams t >",
        b"*1\r\n*2\r\n$1\r\nt\r\n*1\r\n*2\r\n$3\r\n1-1\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n",
    );
    s.check(
        "xclaim t g d 0 1-1 force",
        b"*1\r\n*2\r\n$3\r\n1-1\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n",
    );
    s.check(
        "xclaim t g d 0 1-1 force retrycount 3",
        b"*1\r\n*2\r\n$3\r\n1-1\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n",
    );
    s.check("xreadgroup group g c noack streams t >", b"*-1\r\n");
    s.check("xadd t 2-1 a 1", b"$3\r\n2-1\r\n");
    s.check(
        "xreadgroup group g c noack streams t >",
        b"*1\r\n*2\r\n$1\r\nt\r\n*1\r\n*2\r\n$3\r\n2-1\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n",
    );
    s.check(
        "xpending t g",
        b"*4\r\n:1\r\n$3\r\n1-1\r\n$3\r\n1-1\r\n*1\r\n*2\r\n$1\r\nd\r\n$1\r\n1\r\n",
    );
    s.check(
        "xreadgroup group g c streams t 0",
        b"*1\r\n*2\r\n$1\r\nt\r\n*0\r\n",
    );
    s.check(
        "xreadgroup group g d streams t 0",
        b"*1\r\n*2\r\n$1\r\nt\r\n*1\r\n*2\r\n$3\r\n1-1\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n",
    );
}

#[test]
fn the_highest_id_spelled_out_reads_new_entries() {
    let mut s = Session::new();
    s.check("xadd s 1-1 a 1", b"$3\r\n1-1\r\n");
    s.check("xgroup create s g 0", b"+OK\r\n");
    s.check(
        "xreadgroup group g c streams s 18446744073709551615-18446744073709551615",
        b"*1\r\n*2\r\n$1\r\ns\r\n*1\r\n*2\r\n$3\r\n1-1\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n",
    );
    s.check(
        "xreadgroup group g c streams s 18446744073709551615-18446744073709551614",
        b"*1\r\n*2\r\n$1\r\ns\r\n*0\r\n",
    );
}

// Redis parses CREATE and SETID options, then looks the key and group up,
// and checks the argument count last.
#[test]
fn xgroup_checks_options_then_key_then_argument_count() {
    let mut s = Session::new();
    let syntax_create =
        b"-ERR unknown subcommand or wrong number of arguments for 'CREATE'. Try XGROUP HELP.\r\n";
    let needs_key = b"-ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to use the MKSTREAM option to create an empty stream automatically.\r\n";
    s.check(
        "xgroup CREATE gx g 0 MKSTREAM ENTRIESREAD -100 -28",
        b"-ERR value for ENTRIESREAD must be positive or -1\r\n",
    );
    s.check(
        "xgroup CREATE gx g 0 ENTRIESREAD 5 ENTRIESREAD 6",
        needs_key,
    );
    s.check(
        "xgroup CREATE gx g 0 MKSTREAM ENTRIESREAD 5 MKSTREAM",
        syntax_create,
    );
    s.check("xgroup SETID gx g 0 ENTRIESREAD 5 ENTRIESREAD 6", needs_key);
    s.check(
        "xgroup SETID gx g 0 ENTRIESREAD -5 x",
        b"-ERR value for ENTRIESREAD must be positive or -1\r\n",
    );
    s.check("xgroup CREATE gx g 0 MKSTREAM", b"+OK\r\n");
    s.check(
        "xgroup SETID gx nog 0 ENTRIESREAD 5 ENTRIESREAD 6",
        b"-NOGROUP No such consumer group 'nog' for key name 'gx'\r\n",
    );
    s.check(
        "xgroup SETID gx g 0 ENTRIESREAD 5 ENTRIESREAD 6",
        b"-ERR unknown subcommand or wrong number of arguments for 'SETID'. Try XGROUP HELP.\r\n",
    );
}
