"""Python gRPC client tests of a running clustermatch server.

Stubs are generated at test time with protoc and Debian's grpc_python_plugin
from the repository's .proto files and from minimal health and reflection
definitions kept next to this file (Debian ships neither as a Python module).
The server address and keys come from run_client_test.sh in CM_* variables.
Run with Debian's /usr/bin/python3, which sees python3-grpcio.
"""

import importlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

import grpc

HERE = os.path.dirname(os.path.abspath(__file__))
REPO_DIR = os.environ.get("CM_REPO_DIR", os.path.abspath(os.path.join(HERE, "..", "..", "..")))
PROTO_DIR = os.path.join(REPO_DIR, "proto")
OWN_PROTO_DIR = os.path.join(HERE, "protos")
GRPC_PYTHON_PLUGIN = "/usr/bin/grpc_python_plugin"
DEADLINE_S = 30

ADDR = os.environ.get("CM_ADDR", "")
READER_KEY = os.environ.get("CM_READER_KEY", "")
MEMBERS_READER_KEY = os.environ.get("CM_MEMBERS_READER_KEY", "")
SAMPLE = os.environ.get("CM_SAMPLE", os.path.join(REPO_DIR, "data", "sample", "gvalley.jsonl"))

_stub_dir = None
pb = {}  # module name -> generated module


def generate_stubs(out_dir):
    """Runs protoc over every clustermatch proto and our health/reflection protos."""
    api_dir = os.path.join(PROTO_DIR, "clustermatch", "v1")
    protos = [os.path.join(api_dir, name) for name in sorted(os.listdir(api_dir))
              if name.endswith(".proto")]
    protos += [os.path.join(OWN_PROTO_DIR, name) for name in sorted(os.listdir(OWN_PROTO_DIR))
               if name.endswith(".proto")]
    command = [
        "protoc", f"-I{PROTO_DIR}", f"-I{OWN_PROTO_DIR}",
        f"--python_out={out_dir}", f"--grpc_python_out={out_dir}",
        f"--plugin=protoc-gen-grpc_python={GRPC_PYTHON_PLUGIN}",
    ] + protos
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"protoc failed ({result.returncode}): {result.stderr}")


def setUpModule():
    global _stub_dir
    if not ADDR or not READER_KEY:
        raise RuntimeError("CM_ADDR and CM_READER_KEY are not set: "
                           "run through tests/clients/run_client_test.sh")
    _stub_dir = tempfile.mkdtemp(prefix="cm_python_stubs_")
    generate_stubs(_stub_dir)
    sys.path.insert(0, _stub_dir)
    for name in ["clustermatch.v1.firm_pb2", "clustermatch.v1.firm_service_pb2",
                 "clustermatch.v1.firm_service_pb2_grpc", "clustermatch.v1.matching_pb2",
                 "clustermatch.v1.matching_service_pb2",
                 "clustermatch.v1.matching_service_pb2_grpc",
                 "grpc_health_v1_pb2", "grpc_health_v1_pb2_grpc",
                 "grpc_reflection_v1alpha_pb2", "grpc_reflection_v1alpha_pb2_grpc"]:
        pb[name.rsplit(".", 1)[-1]] = importlib.import_module(name)


def tearDownModule():
    if _stub_dir:
        sys.path.remove(_stub_dir)
        shutil.rmtree(_stub_dir, ignore_errors=True)


def auth(key):
    return (("authorization", f"Bearer {key}"),)


def load_sample():
    with open(SAMPLE, encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


class ClientTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.channel = grpc.insecure_channel(ADDR)
        grpc.channel_ready_future(cls.channel).result(timeout=DEADLINE_S)
        cls.firms = pb["firm_service_pb2_grpc"].FirmServiceStub(cls.channel)
        cls.matching = pb["matching_service_pb2_grpc"].MatchingServiceStub(cls.channel)
        cls.health = pb["grpc_health_v1_pb2_grpc"].HealthStub(cls.channel)
        cls.reflection = pb["grpc_reflection_v1alpha_pb2_grpc"].ServerReflectionStub(cls.channel)
        cls.sample = load_sample()

    @classmethod
    def tearDownClass(cls):
        cls.channel.close()

    def assert_status(self, code, call, *args, **kwargs):
        with self.assertRaises(grpc.RpcError) as raised:
            call(*args, timeout=DEADLINE_S, **kwargs)
        self.assertEqual(raised.exception.code(), code, raised.exception.details())
        return raised.exception

    def test_health_check_reports_serving(self):
        health = pb["grpc_health_v1_pb2"]
        response = self.health.Check(health.HealthCheckRequest(service=""), timeout=DEADLINE_S)
        self.assertEqual(response.status, health.HealthCheckResponse.SERVING)

    def test_reflection_lists_every_service(self):
        reflection = pb["grpc_reflection_v1alpha_pb2"]
        request = reflection.ServerReflectionRequest(host="", list_services="*")
        responses = list(self.reflection.ServerReflectionInfo(iter([request]), timeout=DEADLINE_S))
        self.assertEqual(len(responses), 1)
        response = responses[0]
        self.assertNotEqual(response.WhichOneof("message_response"), "error_response",
                            response.error_response.error_message)
        self.assertEqual(response.WhichOneof("message_response"), "list_services_response")
        names = {service.name for service in response.list_services_response.service}
        for expected in ["clustermatch.v1.FirmService", "clustermatch.v1.MatchingService",
                         "clustermatch.v1.FeedbackService", "clustermatch.v1.AdminService",
                         "grpc.health.v1.Health"]:
            self.assertIn(expected, names)

    def test_recommend_returns_explained_partners(self):
        query = next(firm for firm in self.sample
                     if firm.get("visibility", "VISIBILITY_PUBLIC") == "VISIBILITY_PUBLIC"
                     and firm.get("needs") and firm.get("offers"))
        hidden = {firm["id"] for firm in self.sample
                  if firm.get("visibility") == "VISIBILITY_HIDDEN"}
        matching = pb["matching_service_pb2"]
        response = self.matching.Recommend(
            matching.RecommendRequest(firm_id=query["id"], k=5),
            metadata=auth(READER_KEY), timeout=DEADLINE_S)
        results = response.recommendations
        self.assertEqual(len(results), 5)
        scores = [result.score for result in results]
        self.assertEqual(scores, sorted(scores, reverse=True))
        for result in results:
            self.assertNotEqual(result.firm_id, query["id"])
            self.assertNotIn(result.firm_id, hidden)
            self.assertEqual(result.firm.id, result.firm_id)
            self.assertTrue(result.firm.name)
            self.assertTrue(result.HasField("explanation"), result.firm_id)
        reasons = [match for result in results for match in result.explanation.need_offer]
        self.assertTrue(reasons, "no need/offer reasons in any recommendation")
        for match in reasons:
            self.assertIn(query["id"], (match.need_firm_id, match.offer_firm_id))
            self.assertTrue(match.need and match.offer)

    def test_search_in_korean_returns_matched_offers(self):
        matching = pb["matching_service_pb2"]
        response = self.matching.Search(matching.SearchRequest(query="PCB 조립", k=3),
                                        metadata=auth(MEMBERS_READER_KEY), timeout=DEADLINE_S)
        self.assertEqual(len(response.results), 3)
        self.assertTrue(response.results[0].explanation.matched_offers)

    def test_call_without_key_is_unauthenticated(self):
        firm_service = pb["firm_service_pb2"]
        self.assert_status(grpc.StatusCode.UNAUTHENTICATED, self.firms.GetFirm,
                           firm_service.GetFirmRequest(id="GV-0002"))
        self.assert_status(grpc.StatusCode.UNAUTHENTICATED, self.firms.GetFirm,
                           firm_service.GetFirmRequest(id="GV-0002"),
                           metadata=auth("cm_000000000000_wrong"))

    def test_reader_cannot_create_firms(self):
        firm_service = pb["firm_service_pb2"]
        firm = pb["firm_pb2"].Firm(id="PY-0001", name="Python Test", clusters=["G-Valley"])
        self.assert_status(grpc.StatusCode.PERMISSION_DENIED, self.firms.CreateFirm,
                           firm_service.CreateFirmRequest(firm=firm), metadata=auth(READER_KEY))


if __name__ == "__main__":
    unittest.main(verbosity=2)
