"""A small Python client for Orderspine over gRPC.

It uses the message classes and stubs that scripts/python-client.sh generates from proto/ into
./gen (not committed), adds the API key to every call, and decodes the google.rpc error details
the service sends in the grpc-status-details-bin trailer.
"""

import collections
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "gen"))

import grpc  # noqa: E402
from google.rpc import error_details_pb2, status_pb2  # noqa: E402
from orders.v1 import (  # noqa: E402
    catalog_service_pb2_grpc,
    customers_service_pb2_grpc,
    orders_service_pb2_grpc,
    promotions_service_pb2_grpc,
    tax_service_pb2_grpc,
)


class _CallDetails(
    collections.namedtuple("_CallDetails", ("method", "timeout", "metadata", "credentials", "wait_for_ready", "compression")),
    grpc.ClientCallDetails,
):
    pass


class _ApiKey(grpc.UnaryUnaryClientInterceptor):
    """Sends `authorization: Bearer <key>` with every unary call."""

    def __init__(self, api_key):
        self._header = ("authorization", f"Bearer {api_key}")

    def intercept_unary_unary(self, continuation, details, request):
        metadata = list(details.metadata or []) + [self._header]
        return continuation(
            _CallDetails(details.method, details.timeout, metadata, details.credentials, details.wait_for_ready, details.compression),
            request,
        )


class Orderspine:
    """Stubs for OrdersService, CustomersService, CatalogService, TaxService and PromotionsService on one channel.

    Use as a context manager.
    """

    def __init__(self, address, api_key):
        self._channel = grpc.intercept_channel(grpc.insecure_channel(address), _ApiKey(api_key))
        self.orders = orders_service_pb2_grpc.OrdersServiceStub(self._channel)
        self.customers = customers_service_pb2_grpc.CustomersServiceStub(self._channel)
        self.catalog = catalog_service_pb2_grpc.CatalogServiceStub(self._channel)
        self.tax = tax_service_pb2_grpc.TaxServiceStub(self._channel)
        self.promotions = promotions_service_pb2_grpc.PromotionsServiceStub(self._channel)

    def close(self):
        self._channel.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


ErrorDetails = collections.namedtuple("ErrorDetails", ("error_info", "bad_request"))


def error_details(error):
    """The ErrorInfo and BadRequest (either may be None) of a failed call's google.rpc.Status."""
    error_info = bad_request = None
    for key, value in error.trailing_metadata() or ():
        if key != "grpc-status-details-bin":
            continue
        for detail in status_pb2.Status.FromString(value).details:
            if detail.Is(error_details_pb2.ErrorInfo.DESCRIPTOR):
                error_info = error_details_pb2.ErrorInfo()
                detail.Unpack(error_info)
            elif detail.Is(error_details_pb2.BadRequest.DESCRIPTOR):
                bad_request = error_details_pb2.BadRequest()
                detail.Unpack(bad_request)
    return ErrorDetails(error_info, bad_request)
