"""Payloads for other PCF-exchange ecosystems, built from a submission and its CFP result.

``catenax_pcf`` writes the Catena-X PCF aspect model ``urn:samm:io.catenax.pcf:9.0.0#Pcf``
(the model CX-0136 2.2.1 requires). Pure: the caller passes the creation time.
"""
