import os

from orderspine_client import Orderspine, error_details
from orders.v1 import customers_service_pb2, orders_service_pb2

import grpc

with Orderspine(os.environ.get("ORDERSPINE_ADDRESS", "localhost:8080"), os.environ["ORDERSPINE_KEY"]) as client:
    customer = client.customers.CreateCustomer(
        customers_service_pb2.CreateCustomerRequest(email=f"buyer-{os.urandom(4).hex()}@example.com", name="Ada Buyer")
    ).customer
    order = client.orders.CreateOrder(
        orders_service_pb2.CreateOrderRequest(
            customer_id=customer.id,
            items=[orders_service_pb2.LineItemInput(sku="INJ-6.7-CR", name="Injector", quantity=8, unit_price="289.50")],
        )
    ).order
    print(order.order_number, order.total)  # 1001 2316.00 (money is a decimal string)

    try:
        client.orders.CreateOrder(orders_service_pb2.CreateOrderRequest(customer_id=customer.id))
    except grpc.RpcError as error:
        details = error_details(error)  # decoded from the grpc-status-details-bin trailer
        print(error.code().name, details.error_info.reason, [v.field for v in details.bad_request.field_violations])
        # INVALID_ARGUMENT INVALID_ARGUMENT ['items']
