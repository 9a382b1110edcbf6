"""Tests the Python client against a running Orderspine.

Needs ORDERSPINE_ADDRESS (host:port) and ORDERSPINE_API_KEY (an editor key). Run by
test/clients/python-client.test.ts, which starts the service; prints "N passed, M failed" last.
"""

import os
import sys
import time
import unittest
import uuid

import grpc
from orderspine_client import Orderspine, error_details
from orders.v1 import customers_service_pb2, order_pb2, orders_service_pb2

ADDRESS = os.environ["ORDERSPINE_ADDRESS"]
API_KEY = os.environ["ORDERSPINE_API_KEY"]


def seed_order(customer_id, **fields):
    return orders_service_pb2.CreateOrderRequest(
        customer_id=customer_id,
        currency="USD",
        channel=order_pb2.CHANNEL_B2B_PORTAL,
        items=[
            orders_service_pb2.LineItemInput(sku="INJ-6.7-CR", name="6.7L Common-Rail Injector", quantity=8, unit_price="289.50"),
            orders_service_pb2.LineItemInput(sku="SEAL-KIT", name="Seal kit", quantity=3, unit_price="12.3333", tax_amount="2.96"),
        ],
        shipping_total="15.00",
        **fields,
    )


class OrderspineClientTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.client = Orderspine(ADDRESS, API_KEY)
        response = cls.client.customers.CreateCustomer(
            customers_service_pb2.CreateCustomerRequest(email=f"py-{time.time_ns()}@example.com", name="Py Buyer"),
            timeout=10,
        )
        cls.customer_id = response.customer.id

    @classmethod
    def tearDownClass(cls):
        cls.client.close()

    def failed_call(self, call, request):
        with self.assertRaises(grpc.RpcError) as caught:
            call(request, timeout=10)
        return caught.exception

    def test_creates_an_order_with_exact_totals_as_strings(self):
        order = self.client.orders.CreateOrder(seed_order(self.customer_id), timeout=10).order
        self.assertEqual(order.status, order_pb2.ORDER_STATUS_PLACED)
        self.assertEqual(order.payment_status, order_pb2.PAYMENT_STATUS_UNPAID)
        self.assertEqual([item.line_total for item in order.items], ["2316.00", "37.00"])
        self.assertEqual(order.items[1].unit_price, "12.3333")
        self.assertEqual(
            (order.subtotal, order.shipping_total, order.tax_total, order.discount_total, order.total),
            ("2353.00", "15.00", "2.96", "0.00", "2370.96"),
        )
        fetched = self.client.orders.GetOrder(orders_service_pb2.GetOrderRequest(id=order.id), timeout=10).order
        self.assertEqual(fetched, order)

    def test_a_retry_with_the_same_request_id_returns_the_same_order(self):
        request = seed_order(self.customer_id, request_id=str(uuid.uuid4()))
        first = self.client.orders.CreateOrder(request, timeout=10).order
        again = self.client.orders.CreateOrder(request, timeout=10).order
        self.assertEqual(again.id, first.id)

    def test_invalid_argument_carries_a_bad_request_per_field(self):
        request = seed_order(self.customer_id)
        request.items[0].unit_price = "1.5.0"
        request.items[1].quantity = 0
        error = self.failed_call(self.client.orders.CreateOrder, request)
        self.assertEqual(error.code(), grpc.StatusCode.INVALID_ARGUMENT)
        details = error_details(error)
        self.assertEqual(details.error_info.reason, "INVALID_ARGUMENT")
        self.assertEqual(details.error_info.domain, "orderspine")
        fields = sorted(v.field for v in details.bad_request.field_violations)
        self.assertEqual(fields, ["items[0].unit_price", "items[1].quantity"])

    def test_not_found_carries_an_error_info_reason(self):
        missing = str(uuid.uuid4())
        error = self.failed_call(self.client.orders.GetOrder, orders_service_pb2.GetOrderRequest(id=missing))
        self.assertEqual(error.code(), grpc.StatusCode.NOT_FOUND)
        self.assertEqual(error_details(error).error_info.reason, "ORDER_NOT_FOUND")

        error = self.failed_call(self.client.orders.CreateOrder, seed_order(missing))
        self.assertEqual(error.code(), grpc.StatusCode.NOT_FOUND)
        info = error_details(error).error_info
        self.assertEqual(info.reason, "CUSTOMER_NOT_FOUND")
        self.assertEqual(dict(info.metadata), {"customerId": missing})
        self.assertIsNone(error_details(error).bad_request)

    def test_an_unknown_key_is_unauthenticated(self):
        with Orderspine(ADDRESS, "sk_test_0000000000000000_" + "x" * 43) as stranger:
            error = self.failed_call(stranger.orders.GetOrder, orders_service_pb2.GetOrderRequest(id=str(uuid.uuid4())))
        self.assertEqual(error.code(), grpc.StatusCode.UNAUTHENTICATED)
        self.assertEqual(error_details(error).error_info.reason, "INVALID_API_KEY")


if __name__ == "__main__":
    result = unittest.main(exit=False, verbosity=2).result
    failed = len(result.failures) + len(result.errors) + len(result.unexpectedSuccesses)
    print(f"{result.testsRun - failed - len(result.skipped)} passed, {failed} failed")
    sys.exit(1 if failed or result.testsRun == 0 else 0)
