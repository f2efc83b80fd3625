"""Interop: Debian's python3-grpcio against the real Host (native gRPC on the h2c port).

Usage: /usr/bin/python3 test_interop.py HOST:PORT
Stubs are generated at test time from protos/ into tests/interop/gen/python (git-ignored).
"""
import os
import subprocess
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
INTEROP = os.path.dirname(HERE)
ROOT = os.path.dirname(os.path.dirname(INTEROP))
GEN = os.path.join(INTEROP, "gen", "python")
TARGET = sys.argv.pop(1) if len(sys.argv) > 1 else "127.0.0.1:5001"


def generate_stubs():
    os.makedirs(GEN, exist_ok=True)
    protos = [
        "nanobanana/catalog/v1/catalog.proto",
        "nanobanana/options/v1/access.proto",
        "grpc/health/v1/health.proto",
        "google/rpc/status.proto",
        "google/rpc/error_details.proto",
    ]
    import grpc_tools
    well_known = os.path.join(os.path.dirname(grpc_tools.__file__), "_proto")
    subprocess.run(
        [sys.executable, "-m", "grpc_tools.protoc",
         "-I", os.path.join(ROOT, "protos"), "-I", os.path.join(INTEROP, "protos"), "-I", well_known,
         "--python_out", GEN, "--grpc_python_out", GEN, *protos],
        check=True)
    sys.path.insert(0, GEN)


generate_stubs()

import grpc  # noqa: E402
from google.rpc import error_details_pb2, status_pb2  # noqa: E402
import importlib.util  # noqa: E402
# The installed grpc package owns the "grpc" namespace, so the generated grpc.health.v1 module is loaded by path.
_spec = importlib.util.spec_from_file_location("health_pb2", os.path.join(GEN, "grpc", "health", "v1", "health_pb2.py"))
health_pb2 = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(health_pb2)
from nanobanana.catalog.v1 import catalog_pb2, catalog_pb2_grpc  # noqa: E402


class CatalogOverNativeGrpc(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.channel = grpc.insecure_channel(TARGET)
        cls.catalog = catalog_pb2_grpc.CatalogServiceStub(cls.channel)
        cls.health_check = cls.channel.unary_unary(
            "/grpc.health.v1.Health/Check",
            request_serializer=health_pb2.HealthCheckRequest.SerializeToString,
            response_deserializer=health_pb2.HealthCheckResponse.FromString)
        cls.health_watch = cls.channel.unary_stream(
            "/grpc.health.v1.Health/Watch",
            request_serializer=health_pb2.HealthCheckRequest.SerializeToString,
            response_deserializer=health_pb2.HealthCheckResponse.FromString)

    @classmethod
    def tearDownClass(cls):
        cls.channel.close()

    def test_unary_list_models(self):
        response = self.catalog.ListModels(catalog_pb2.ListModelsRequest(), timeout=10)
        slugs = [m.slug for m in response.models]
        self.assertIn("nano-banana", slugs)
        self.assertEqual(6, len(slugs))  # the seeded catalog: Nano Banana, Nano Banana 2, Nano Banana Pro, Imagen 4, Veo 3.1 Fast, Veo 3.1

    def test_invalid_request_carries_bad_request_field_violations(self):
        with self.assertRaises(grpc.RpcError) as raised:
            self.catalog.GetModel(catalog_pb2.GetModelRequest(slug="Not A Slug!"), timeout=10)
        error = raised.exception
        self.assertEqual(grpc.StatusCode.INVALID_ARGUMENT, error.code())
        details = dict(error.trailing_metadata())["grpc-status-details-bin"]
        status = status_pb2.Status.FromString(details)
        self.assertEqual(3, status.code)
        bad_request = error_details_pb2.BadRequest()
        self.assertTrue(status.details[0].Unpack(bad_request))
        self.assertEqual(["slug"], [v.field for v in bad_request.field_violations])

    def test_not_found(self):
        with self.assertRaises(grpc.RpcError) as raised:
            self.catalog.GetModel(catalog_pb2.GetModelRequest(slug="no-such-model"), timeout=10)
        self.assertEqual(grpc.StatusCode.NOT_FOUND, raised.exception.code())

    def test_internal_method_without_key_is_unauthenticated(self):
        with self.assertRaises(grpc.RpcError) as raised:
            self.catalog.ListAllModels(catalog_pb2.ListAllModelsRequest(), timeout=10)
        self.assertEqual(grpc.StatusCode.UNAUTHENTICATED, raised.exception.code())

    def test_health_check(self):
        response = self.health_check(health_pb2.HealthCheckRequest(service=""), timeout=10)
        self.assertEqual(health_pb2.HealthCheckResponse.SERVING, response.status)
        response = self.health_check(health_pb2.HealthCheckRequest(service="nanobanana.catalog.v1.CatalogService"), timeout=10)
        self.assertEqual(health_pb2.HealthCheckResponse.SERVING, response.status)

    def test_server_stream_then_deadline(self):
        # Watch streams the current status, then waits for changes until the deadline ends it.
        stream = self.health_watch(health_pb2.HealthCheckRequest(service=""), timeout=0.5)
        received = []
        with self.assertRaises(grpc.RpcError) as raised:
            for message in stream:
                received.append(message.status)
        self.assertEqual([health_pb2.HealthCheckResponse.SERVING], received)
        self.assertEqual(grpc.StatusCode.DEADLINE_EXCEEDED, raised.exception.code())


if __name__ == "__main__":
    unittest.main(verbosity=2)
