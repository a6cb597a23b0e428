using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace UserServices.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ClientsAndAuthTime : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "AuthTime",
                table: "RefreshTokens",
                type: "TEXT",
                nullable: false,
                defaultValue: new DateTime(1, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified));

            migrationBuilder.AddColumn<string>(
                name: "ClientId",
                table: "RefreshTokens",
                type: "TEXT",
                maxLength: 256,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Scope",
                table: "RefreshTokens",
                type: "TEXT",
                maxLength: 1024,
                nullable: true);

            // Rows of sessions that began before this column: every family keeps its first row until the family
            // ends, and that row was issued at the password login.
            migrationBuilder.Sql(
                "UPDATE \"RefreshTokens\" SET \"AuthTime\" = (SELECT MIN(f.\"IssuedAt\") FROM \"RefreshTokens\" AS f " +
                "WHERE f.\"FamilyId\" = \"RefreshTokens\".\"FamilyId\");");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "AuthTime",
                table: "RefreshTokens");

            migrationBuilder.DropColumn(
                name: "ClientId",
                table: "RefreshTokens");

            migrationBuilder.DropColumn(
                name: "Scope",
                table: "RefreshTokens");
        }
    }
}
