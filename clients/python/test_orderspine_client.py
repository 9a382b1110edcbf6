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
from orders.v1 import catalog_service_pb2, customers_service_pb2, order_pb2, orders_service_pb2, product_pb2

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


def order_by_sku(*lines, **fields):
    """A CreateOrderRequest whose lines give only a SKU and a quantity: (sku, quantity) pairs."""
    items = [orders_service_pb2.LineItemInput(sku=sku, quantity=quantity) for sku, quantity in lines]
    return orders_service_pb2.CreateOrderRequest(items=items, **fields)


class OrderspineClientTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.client = Orderspine(ADDRESS, API_KEY)
        cls.customer_email = f"py-{time.time_ns()}@example.com"
        response = cls.client.customers.CreateCustomer(
            customers_service_pb2.CreateCustomerRequest(email=cls.customer_email, name="Py Buyer"),
            timeout=10,
        )
        cls.customer_id = response.customer.id
        # SKUs are unique in the tenant: a suffix keeps a rerun against the same tenant from finding them taken
        suffix = uuid.uuid4().hex[:8].upper()
        cls.sku, cls.alternate_sku = f"INJ-{suffix}", f"BOSCH-{suffix}"
        cls.product = cls.client.catalog.CreateProduct(
            catalog_service_pb2.CreateProductRequest(
                product=product_pb2.Product(
                    title="6.7L Common-Rail Injector",
                    variants=[
                        product_pb2.Variant(
                            sku=cls.sku,
                            alternate_skus=[cls.alternate_sku],
                            prices={"USD": "289.50", "EUR": "265.00"},
                            weight_grams=820,
                        )
                    ],
                ),
                request_id=str(uuid.uuid4()),
            ),
            timeout=10,
        ).product

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

    def test_creates_a_catalog_product_with_its_variant(self):
        self.assertEqual(self.product.status, product_pb2.PRODUCT_STATUS_ACTIVE)
        variant = self.product.variants[0]
        self.assertTrue(variant.id)
        self.assertEqual((variant.sku, list(variant.alternate_skus)), (self.sku, [self.alternate_sku]))
        self.assertEqual(dict(variant.prices), {"USD": "289.50", "EUR": "265.00"})
        self.assertEqual((variant.tax_category, variant.weight_grams), ("standard", 820))

    def test_a_line_named_by_sku_takes_its_name_and_price_from_the_catalog(self):
        request = order_by_sku((self.sku, 8), customer_id=self.customer_id, currency="USD")
        order = self.client.orders.CreateOrder(request, timeout=10).order
        line = order.items[0]
        self.assertEqual(
            (line.sku, line.requested_sku, line.name, line.unit_price, line.line_total),
            (self.sku, "", "6.7L Common-Rail Injector", "289.50", "2316.00"),
        )
        self.assertEqual(
            (line.product_id, line.variant_id, line.tax_category, line.weight_grams),
            (self.product.id, self.product.variants[0].id, "standard", 820),
        )
        self.assertEqual((order.total, order.email), ("2316.00", self.customer_email))

    def test_an_alternate_sku_in_any_case_names_the_variant_and_a_given_price_wins(self):
        request = order_by_sku(
            (self.alternate_sku.lower(), 2), (self.sku.lower(), 1), customer_id=self.customer_id, currency="EUR"
        )
        request.items[1].unit_price = "250.00"  # a negotiated price
        order = self.client.orders.CreateOrder(request, timeout=10).order
        self.assertEqual(
            [(line.sku, line.requested_sku, line.name, line.unit_price, line.line_total) for line in order.items],
            [
                (self.sku, self.alternate_sku.lower(), "6.7L Common-Rail Injector", "265.00", "530.00"),
                (self.sku, self.sku.lower(), "6.7L Common-Rail Injector", "250.00", "250.00"),
            ],
        )
        self.assertEqual({line.variant_id for line in order.items}, {self.product.variants[0].id})
        self.assertEqual(order.total, "780.00")

    def test_a_guest_order_by_email_has_no_customer_and_is_listed_by_email(self):
        email = f"guest-{time.time_ns()}@example.com"
        order = self.client.orders.CreateOrder(order_by_sku((self.sku, 2), email=email), timeout=10).order
        self.assertEqual((order.customer_id, order.email, order.currency, order.total), ("", email, "USD", "579.00"))
        self.assertEqual(order.items[0].name, "6.7L Common-Rail Injector")
        listed = self.client.orders.ListOrders(orders_service_pb2.ListOrdersRequest(email=email.upper()), timeout=10).orders
        self.assertEqual([o.id for o in listed], [order.id])

    def test_an_order_with_neither_customer_nor_email_is_refused(self):
        error = self.failed_call(self.client.orders.CreateOrder, order_by_sku((self.sku, 1)))
        self.assertEqual(error.code(), grpc.StatusCode.INVALID_ARGUMENT)
        violations = [(v.field, v.reason) for v in error_details(error).bad_request.field_violations]
        self.assertEqual(violations, [("customer_id", "CUSTOMER_OR_EMAIL_REQUIRED")])

    def test_catalog_lines_without_a_price_or_a_name_are_field_violations_with_reasons(self):
        request = order_by_sku(
            (self.sku, 1),  # the catalog has no JPY price for it, and the line gives none
            (f"NOT-IN-CATALOG-{uuid.uuid4().hex[:8]}", 1),  # a custom line, which needs a name
            customer_id=self.customer_id,
            currency="JPY",
        )
        error = self.failed_call(self.client.orders.CreateOrder, request)
        self.assertEqual(error.code(), grpc.StatusCode.INVALID_ARGUMENT)
        details = error_details(error)
        self.assertEqual(details.error_info.reason, "INVALID_ARGUMENT")
        violations = sorted((v.field, v.reason) for v in details.bad_request.field_violations)
        self.assertEqual(violations, [("items[0].unit_price", "NO_PRICE_IN_CURRENCY"), ("items[1].name", "NAME_REQUIRED")])

    def test_a_taken_sku_is_already_exists_naming_its_holder(self):
        taken = product_pb2.Product(title="Injector, again", variants=[product_pb2.Variant(sku=self.alternate_sku.lower())])
        error = self.failed_call(self.client.catalog.CreateProduct, catalog_service_pb2.CreateProductRequest(product=taken))
        self.assertEqual(error.code(), grpc.StatusCode.ALREADY_EXISTS)
        info = error_details(error).error_info
        self.assertEqual(info.reason, "SKU_TAKEN")
        self.assertEqual(
            dict(info.metadata),
            {
                "sku": self.alternate_sku.lower(),
                "field": "product.variants[0].sku",
                "productId": self.product.id,
                "variantId": self.product.variants[0].id,
            },
        )

    def test_a_coupon_code_that_cannot_be_used_is_a_warning_and_the_client_tax_stands_without_a_zone(self):
        request = seed_order(self.customer_id, coupon_codes=["NO-SUCH-CODE"])
        preview = self.client.orders.PreviewOrder(orders_service_pb2.PreviewOrderRequest(order=request), timeout=10)
        created = self.client.orders.CreateOrder(request, timeout=10)
        # each field path is the request's: PreviewOrderRequest holds the order in `order`
        for response, field in ((preview, "order.coupon_codes[0]"), (created, "coupon_codes[0]")):
            self.assertEqual([(w.field, w.reason) for w in response.warnings], [(field, "COUPON_NOT_FOUND")])
            self.assertEqual(response.order.tax_source, order_pb2.TAX_SOURCE_CLIENT)  # no tax zone: the request's tax
            self.assertEqual((response.order.discount_total, response.order.total), ("0.00", "2370.96"))
            self.assertEqual(list(response.order.adjustments), [])

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
