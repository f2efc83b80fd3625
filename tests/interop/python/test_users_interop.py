"""Users interop: an internal tool (python3-grpcio, native gRPC) searches and bans a user with an API key.

Usage: /usr/bin/python3 test_users_interop.py HOST:PORT
Env: ADMIN_KEY, READONLY_KEY (API keys created with the Host CLI), BOT_TOKEN (Telegram:BotToken).
"""
import hashlib
import hmac
import json
import os
import subprocess
import sys
import time
import unittest
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
INTEROP = os.path.dirname(HERE)
ROOT = os.path.dirname(os.path.dirname(INTEROP))
GEN = os.path.join(INTEROP, "gen", "python")
TARGET = sys.argv.pop(1) if len(sys.argv) > 1 else "127.0.0.1:5001"

os.makedirs(GEN, exist_ok=True)
import grpc_tools  # noqa: E402
subprocess.run(
    [sys.executable, "-m", "grpc_tools.protoc",
     "-I", os.path.join(ROOT, "protos"), "-I", os.path.join(os.path.dirname(grpc_tools.__file__), "_proto"),
     "--python_out", GEN, "--grpc_python_out", GEN,
     "nanobanana/users/v1/users.proto", "nanobanana/options/v1/access.proto"],
    check=True)
sys.path.insert(0, GEN)

import grpc  # noqa: E402
from nanobanana.users.v1 import users_pb2, users_pb2_grpc  # noqa: E402


def init_data(user):
    """Real-format Telegram initData signed with the bot token."""
    fields = {"query_id": "AAHdF6IQAAAAAN0XohDhrOrc", "user": json.dumps(user), "auth_date": str(int(time.time()))}
    data_check = "\n".join(f"{k}={fields[k]}" for k in sorted(fields))
    secret = hmac.new(b"WebAppData", os.environ["BOT_TOKEN"].encode(), hashlib.sha256).digest()
    fields["hash"] = hmac.new(secret, data_check.encode(), hashlib.sha256).hexdigest()
    return urllib.parse.urlencode(fields)


class InternalToolOverNativeGrpc(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.channel = grpc.insecure_channel(TARGET)
        cls.users = users_pb2_grpc.UsersServiceStub(cls.channel)
        cls.auth = users_pb2_grpc.AuthServiceStub(cls.channel)
        cls.admin = (("authorization", "Bearer " + os.environ["ADMIN_KEY"]),)
        cls.readonly = (("authorization", "Bearer " + os.environ["READONLY_KEY"]),)

    @classmethod
    def tearDownClass(cls):
        cls.channel.close()

    def test_search_and_ban_a_user_who_then_loses_access(self):
        signed_in = self.auth.SignInWithTelegram(users_pb2.SignInWithTelegramRequest(
            init_data=init_data({"id": 990001, "first_name": "Spam", "username": "spammer_990001"})), timeout=10)
        session = (("authorization", "Bearer " + signed_in.session_token),)
        self.assertEqual(990001, self.users.GetMe(users_pb2.GetMeRequest(), metadata=session, timeout=10).user.id)

        found = self.users.SearchUsers(users_pb2.SearchUsersRequest(query="@spammer_99"), metadata=self.readonly, timeout=10)
        self.assertEqual([990001], [u.id for u in found.users])

        with self.assertRaises(grpc.RpcError) as denied:
            self.users.BanUser(users_pb2.BanUserRequest(user_id=990001, reason="spam"), metadata=self.readonly, timeout=10)
        self.assertEqual(grpc.StatusCode.PERMISSION_DENIED, denied.exception.code())

        banned = self.users.BanUser(users_pb2.BanUserRequest(user_id=990001, reason="spam"), metadata=self.admin, timeout=10)
        self.assertTrue(banned.user.banned)

        with self.assertRaises(grpc.RpcError) as locked_out:
            self.users.GetMe(users_pb2.GetMeRequest(), metadata=session, timeout=10)
        self.assertEqual(grpc.StatusCode.PERMISSION_DENIED, locked_out.exception.code())

    def test_wrong_key_is_unauthenticated(self):
        with self.assertRaises(grpc.RpcError) as raised:
            self.users.SearchUsers(users_pb2.SearchUsersRequest(query="x"),
                                   metadata=(("authorization", "Bearer nbk_wrong"),), timeout=10)
        self.assertEqual(grpc.StatusCode.UNAUTHENTICATED, raised.exception.code())


if __name__ == "__main__":
    unittest.main(verbosity=2)
